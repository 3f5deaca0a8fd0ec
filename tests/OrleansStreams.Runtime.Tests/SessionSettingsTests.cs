using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Session settings reach the queries wherever they run: the session time zone governs file reads and expressions on
/// the in-process loop and on grains (aggregation partitions included), and spark.sql.shuffle.partitions sets how many
/// aggregation grains a new checkpoint uses, a count the checkpoint then keeps.
/// </summary>
public sealed class SessionSettingsTests : IDisposable
{
    private readonly TempDirectory temp = new("settings");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session(bool onSilo) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_session_time_zone_governs_file_reads_and_aggregation_keysAsync(bool onSilo)
    {
        // 00:00 and 01:00 UTC on Jan 1st are still Dec 31st in New York; 06:00 UTC is Jan 1st there too.
        Directory.CreateDirectory(temp.Combine("events"));
        File.WriteAllText(temp.Combine("events", "e.json"), """
            {"t": 0, "local": "1970-01-01 00:00:00"}
            {"t": 3600, "local": "1970-01-01 00:00:00"}
            {"t": 21600, "local": "1970-01-01 00:00:00"}
            """);
        await using var spark = Session(onSilo);
        spark.Sql("SET spark.sql.session.timeZone = America/New_York");
        var events = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema("t LONG, local TIMESTAMP").Load(temp.Combine("events"));
        events.CreateOrReplaceTempView("events");

        var days = await spark.Sql("SELECT date_format(CAST(t AS TIMESTAMP), 'yyyy-MM-dd') AS day, count(*) AS n FROM events GROUP BY 1")!
            .WriteStream().OutputMode("complete").Trigger(Trigger.AvailableNow)
            .Option("checkpointLocation", temp.Combine("checkpoints", "days")).ToTableAsync("days");
        var read = await spark.Sql("SELECT CAST(local AS LONG) AS utc_seconds FROM events")!
            .WriteStream().Trigger(Trigger.AvailableNow)
            .Option("checkpointLocation", temp.Combine("checkpoints", "read")).ToTableAsync("read");
        Assert.True(await days.AwaitTerminationAsync(TimeSpan.FromSeconds(60)) && await read.AwaitTerminationAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(days.Exception ?? read.Exception);

        var counts = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT day, n FROM days ORDER BY day")!)).Select(r => $"{r["day"]}={r["n"]}");
        Assert.Equal(["1969-12-31=2", "1970-01-01=1"], counts);
        // Midnight in New York (EST, UTC-5) is 05:00 UTC.
        var seconds = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT DISTINCT utc_seconds FROM read")!)).Select(r => r["utc_seconds"]!.ToString());
        Assert.Equal(["18000"], seconds);
    }

    [Fact]
    public async Task Shuffle_partitions_are_set_for_a_new_checkpoint_and_kept_by_itAsync()
    {
        var input = temp.Combine("keys");
        Directory.CreateDirectory(input);
        File.WriteAllText(Path.Combine(input, "k0.json"), string.Join('\n', Enumerable.Range(0, 100).Select(i => $"{{\"k\": \"key{i % 10}\"}}")));
        await RunCountsAsync(partitions: 3);
        File.WriteAllText(Path.Combine(input, "k1.json"), string.Join('\n', Enumerable.Range(0, 50).Select(i => $"{{\"k\": \"key{i % 10}\"}}")));
        await RunCountsAsync(partitions: 5);

        var checkpoint = temp.Combine("checkpoints", "counts");
        Assert.Equal("3", File.ReadAllText(Path.Combine(checkpoint, "state", "partitions")));
        Assert.True(File.Exists(Path.Combine(checkpoint, "_grains", "query.json"))); // the query grain's definition lives in its checkpoint
        Assert.Equal(["0", "1", "2"], Directory.GetDirectories(Path.Combine(checkpoint, "state")).Select(Path.GetFileName).Order());
        await using var spark = Session(onSilo: false);
        var counts = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT k, n FROM counts")!));
        Assert.Equal(10, counts.Count);
        Assert.All(counts, r => Assert.Equal("15", r["n"]!.ToString()));
    }

    private async Task RunCountsAsync(int partitions)
    {
        await using var spark = Session(onSilo: true);
        spark.Sql($"SET spark.sql.shuffle.partitions = {partitions}");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema("k STRING").Load(temp.Combine("keys"))
            .GroupBy("k").Count().WithColumnRenamed("count", "n")
            .WriteStream().OutputMode("complete").Trigger(Trigger.AvailableNow)
            .Option("checkpointLocation", temp.Combine("checkpoints", "counts")).ToTableAsync("counts");
        Assert.True(await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(query.Exception);
    }
}
