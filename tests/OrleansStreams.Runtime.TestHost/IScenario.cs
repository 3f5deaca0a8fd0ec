using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.TestHost;

/// <summary>One streaming query the test host can run: it starts the query with Trigger.AvailableNow and returns it.</summary>
internal interface IScenario
{
    Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths);
}
