using OrleansStreams.Client;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A running query that comes back after the silos restarted with narrower AllowedLocations is refused as a start
/// would be: it does not resume, and it stays failed with the location and the setting named.
/// </summary>
public sealed class ResumedQueryLocationsTests : IDisposable
{
    private readonly TempDirectory temp = new("resumed-locations");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_query_whose_sink_the_restarted_silos_no_longer_allow_does_not_resume_and_says_whyAsync()
    {
        var (input, checkpoint, warehouse, sink) = (temp.Combine("in"), temp.Combine("cp"), temp.Combine("warehouse"), temp.Combine("elsewhere", "t"));
        KafkaRawFiles.Write(input, 0, 2);
        await using (var wide = await StreamingTestCluster.StartAsync(1, temp.Combine("state"), [temp.Path]))
        {
            await using var spark = StreamingSession.Connect(wide.Client, new StreamingSessionOptions { Warehouse = warehouse });
            await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(input)
                .WriteStream().QueryName("narrowed").Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("100 milliseconds")).StartAsync(sink);
            await Polling.UntilAsync(() => Task.FromResult(LocalTables.HasFirstCommit(sink)), TimeSpan.FromSeconds(60), () => "the query never committed");
        }

        // The cluster stopped with the query running; it comes back allowing the input, checkpoint and warehouse only.
        await using var narrow = await StreamingTestCluster.StartAsync(1, temp.Combine("state"), [input, checkpoint, warehouse]);
        var status = await narrow.Client.GetGrain<IStreamingQueryGrain>(checkpoint).GetStatusAsync();

        Assert.False(status.IsActive, "the query resumed with its sink outside the allowed locations");
        Assert.Contains($"the sink {sink}", status.Error, StringComparison.Ordinal);
        Assert.Contains("OrleansStreams:Silo:AllowedLocations", status.Error, StringComparison.Ordinal);
    }
}
