using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>A query's identity across restarts and what its listeners hear while it waits for data; on the local loop and on the silo.</summary>
public sealed class QueryLifecycleTests : IDisposable
{
    private readonly TempDirectory temp = new("lifecycle");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session(bool onSilo) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo });

    private static Task<StreamingQuery> StartAsync(StreamingSession spark, string input, string checkpoint, Trigger trigger, IStreamingQueryListener? listener = null)
    {
        var writer = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(input)
            .Select("offset").WriteStream().Option("checkpointLocation", checkpoint).Trigger(trigger);
        if (listener is not null)
        {
            writer.Listener(listener);
        }

        return writer.ToTableAsync("offsets");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_restart_keeps_the_query_id_and_gets_a_new_run_idAsync(bool onSilo)
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 2);
        var runs = new List<(Guid Id, Guid RunId, Guid ProgressRunId)>();
        for (var run = 0; run < 2; run++)
        {
            KafkaRawFiles.Write(temp.Combine("in"), run + 1, 2);
            await using var spark = Session(onSilo);
            var query = await StartAsync(spark, temp.Combine("in"), temp.Combine("checkpoints", "offsets"), Trigger.AvailableNow);
            Assert.True(await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60)));
            Assert.Null(query.Exception);
            runs.Add((query.Id, query.RunId, query.LastProgress!.RunId));
        }

        Assert.NotEqual(Guid.Empty, runs[0].Id);
        Assert.Equal(runs[0].Id, runs[1].Id);
        Assert.NotEqual(Guid.Empty, runs[0].RunId);
        Assert.NotEqual(runs[0].RunId, runs[1].RunId);
        Assert.Equal([runs[0].RunId, runs[1].RunId], runs.Select(r => r.ProgressRunId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Listeners_hear_an_idle_query_after_each_batch_that_emptied_its_inputAsync(bool onSilo)
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 2);
        var listener = new RecordingListener();
        await using var spark = Session(onSilo);
        var query = await StartAsync(spark, temp.Combine("in"), temp.Combine("checkpoints", "idle"), Trigger.Default, listener);

        await TriggerTests.WaitUntilAsync(() => listener.Events.Contains("idle"), "the query is idle after its first batch");
        KafkaRawFiles.Write(temp.Combine("in"), 1, 2);
        await TriggerTests.WaitUntilAsync(() => listener.Events.SkipWhile(e => e != "progress 1").Contains("idle"), "the query is idle after its second batch");
        await query.StopAsync();

        var events = listener.Events;
        if (!onSilo)
        {
            // The local loop reports every empty poll; the silo's handle once per idle stretch.
            events = [.. events.Where((e, i) => e != "idle" || i == 0 || events[i - 1] != "idle")];
        }

        Assert.Equal(["started", "progress 0", "idle", "progress 1", "idle", "terminated"], events);
    }

    private sealed class RecordingListener : IStreamingQueryListener
    {
        private readonly List<string> events = [];

        public List<string> Events
        {
            get
            {
                lock (events)
                {
                    return [.. events];
                }
            }
        }

        public void OnQueryStarted(StreamingQuery query) => Add("started");

        public void OnQueryProgress(StreamingQuery query, StreamingQueryProgress progress) => Add($"progress {progress.BatchId}");

        public void OnQueryIdle(StreamingQuery query) => Add("idle");

        public void OnQueryTerminated(StreamingQuery query, Exception? exception) => Add("terminated");

        private void Add(string text)
        {
            lock (events)
            {
                events.Add(text);
            }
        }
    }
}
