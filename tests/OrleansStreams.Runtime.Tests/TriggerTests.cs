using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The triggers that keep a query running: each takes a file that arrives while it runs, on the local loop and on the silo.</summary>
public sealed class TriggerTests : IDisposable
{
    private readonly TempDirectory temp = new("triggers");

    public void Dispose() => temp.Dispose();

    private static Trigger TriggerNamed(string name) => name switch
    {
        "default" => Trigger.Default,
        "processingTime" => Trigger.ProcessingTime(TimeSpan.FromMilliseconds(200)),
        "continuous" => Trigger.Continuous(TimeSpan.FromMilliseconds(200)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Polls until <paramref name="done"/> holds (or fails after a generous timeout).</summary>
    internal static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    private static long RowsRead(StreamingQuery query) => query.RecentProgress.Sum(p => p.NumInputRows);

    [Theory]
    [InlineData("default", false)]
    [InlineData("default", true)]
    [InlineData("processingTime", false)]
    [InlineData("processingTime", true)]
    [InlineData("continuous", false)]
    [InlineData("continuous", true)]
    public async Task A_running_query_takes_a_file_that_arrives_laterAsync(string trigger, bool onSilo)
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 2);
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo });
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("in"))
            .Select("offset", "topic").WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "arrivals"))
            .Trigger(TriggerNamed(trigger))
            .ToTableAsync("arrivals");

        await WaitUntilAsync(() => RowsRead(query) == 2, "the first file is read");
        KafkaRawFiles.Write(temp.Combine("in"), 1, 3);
        await WaitUntilAsync(() => RowsRead(query) == 5, "the file written later is read");
        Assert.True(query.IsActive);
        await query.StopAsync();

        Assert.Null(query.Exception);
        Assert.Equal([2L, 3L], query.RecentProgress.Where(p => p.NumInputRows > 0).Select(p => p.NumInputRows));
        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT offset FROM arrivals ORDER BY offset")!));
        Assert.Equal(["0", "1", "3", "4", "5"], rows.Select(r => r["offset"]!.ToString()));
    }

    /// <summary>
    /// With an hour between polls, only the watch on the local source folder can bring a file that lands later: the
    /// default trigger reacts to it, on the local loop and on the silo.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_default_trigger_reacts_to_a_file_landing_in_a_local_folder_without_waiting_for_its_pollAsync(bool onSilo)
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 2);
        var options = new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo, PollInterval = TimeSpan.FromHours(1) };
        await using var spark = StreamingSession.Embedded(options);
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("in"))
            .Select("offset", "topic").WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "landed"))
            .ToTableAsync("landed");

        // The table, not the handle: a handle on the silo's query polls its status at the same (hour-long) interval.
        async Task<bool> RowsAreAsync(int expected)
        {
            var table = new Storage.Tables.DeltaTable(new Storage.ObjectStore.LocalFileObjectStore(temp.Combine("warehouse", "landed")));
            return LocalTables.HasFirstCommit(temp.Combine("warehouse", "landed"))
                && (await table.ReadAsync(await table.GetSnapshotAsync(), ["offset"]).ToListAsync()).Sum(b => b.Length) == expected;
        }

        await Polling.UntilAsync(() => RowsAreAsync(2), TimeSpan.FromSeconds(60), () => "the first file was not read");
        KafkaRawFiles.Write(temp.Combine("in"), 1, 3);
        await Polling.UntilAsync(() => RowsAreAsync(5), TimeSpan.FromSeconds(60), () => "the file that landed later was not read before the next poll");
        await query.StopAsync();
        Assert.Null(query.Exception);
    }
}
