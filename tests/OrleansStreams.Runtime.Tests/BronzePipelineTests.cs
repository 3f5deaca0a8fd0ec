using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The seed's bronze pipeline in C#: cloudFiles JSON → bronze Delta table partitioned by topic and month.</summary>
public sealed class BronzePipelineTests : IDisposable
{
    private readonly TempDirectory temp = new("bronze");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session(bool onSilo = true) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo });

    private Task<StreamingQuery> StartBronzeAsync(StreamingSession spark, Trigger trigger, int maxFilesPerTrigger = 1000) =>
        spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", maxFilesPerTrigger)
            .Schema(KafkaRawFiles.Schema)
            .Load(temp.Combine("kafka-raw"))
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "bronze"))
            .Option("mergeSchema", true)
            .PartitionBy("topic", "year_month")
            .Trigger(trigger)
            .ToTableAsync("bronze");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Available_now_runs_rate_limited_batches_then_stops_and_matches_DuckDBAsync(bool onSilo)
    {
        for (var i = 0; i < 7; i++)
        {
            KafkaRawFiles.Write(temp.Combine("kafka-raw"), i, 50);
        }

        await using var spark = Session(onSilo);
        var query = await StartBronzeAsync(spark, Trigger.AvailableNow, maxFilesPerTrigger: 2);
        Assert.IsType(onSilo ? typeof(Grains.ClusterStreamingQuery) : typeof(LocalStreamingQuery), query);
        await query.AwaitTerminationAsync();

        Assert.False(query.IsActive);
        Assert.Equal(4, query.RecentProgress.Count); // 7 files, 2 per batch
        Assert.Equal(350, query.RecentProgress.Sum(p => p.NumInputRows));
        var ours = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT topic, year_month, count(*) AS n, min(offset) AS lo, max(offset) AS hi FROM bronze GROUP BY topic, year_month")!));
        var duck = DuckDb($$"""
            SELECT topic, strftime(to_timestamp(timestamp / 1000), '%Y-%m') AS year_month, count(*) AS n, min("offset") AS lo, max("offset") AS hi
            FROM read_json('{{temp.Combine("kafka-raw")}}/*.json', columns = {key: 'VARCHAR', value: 'VARCHAR', topic: 'VARCHAR', partition: 'BIGINT', "offset": 'BIGINT', timestamp: 'BIGINT'})
            GROUP BY ALL
            """);
        JsonRows.AssertSameRows(duck, ours.Cast<JsonNode?>().ToList(), "bronze per topic and month");
    }

    [Fact]
    public async Task Each_file_is_processed_once_across_restartsAsync()
    {
        await using var spark = Session();
        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 0, 10);
        await (await StartBronzeAsync(spark, Trigger.AvailableNow)).AwaitTerminationAsync();
        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 1, 10);

        var second = await StartBronzeAsync(spark, Trigger.AvailableNow);
        await second.AwaitTerminationAsync();
        var third = await StartBronzeAsync(spark, Trigger.AvailableNow);
        await third.AwaitTerminationAsync();

        Assert.Equal(10, second.RecentProgress.Sum(p => p.NumInputRows));
        Assert.Empty(third.RecentProgress);
        Assert.Equal(second.Id, third.Id); // the id lives in the checkpoint
        var count = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n, count(DISTINCT offset) AS d FROM bronze")!));
        Assert.Equal("20", count[0]["n"]!.ToString());
        Assert.Equal("20", count[0]["d"]!.ToString());
    }

    [Fact]
    public async Task The_file_log_writes_per_batch_do_not_grow_with_the_files_already_trackedAsync()
    {
        await using var spark = Session(onSilo: false);
        var segments = temp.Combine("checkpoints", "bronze", "sources", "0", "segments");
        var sizes = new List<long>();
        var query = await Raw(spark);
        for (var round = 0; round < 4; round++)
        {
            // Each round adds 2 files on top of all those before; its log segment holds only the 2 new ones.
            for (var i = 0; i < (round == 0 ? 200 : 2); i++)
            {
                KafkaRawFiles.Write(temp.Combine("kafka-raw"), (round * 1000) + i, 1);
            }

            await query.ProcessAllAvailableAsync();
            sizes.Add(new DirectoryInfo(segments).GetFiles().OrderBy(f => f.Name).Last().Length);
        }

        await query.StopAsync();
        Assert.True(sizes[0] > 50 * sizes[1], $"segment sizes {string.Join(", ", sizes)}");
        Assert.Equal(sizes[1], sizes[3], tolerance: sizes[1] / 10.0);
    }

    private Task<StreamingQuery> Raw(StreamingSession spark) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw"))
            .WriteStream().Option("checkpointLocation", temp.Combine("checkpoints", "bronze")).Trigger(Trigger.Manual).StartAsync(temp.Combine("bronze-table"));

    [Fact]
    public async Task Files_arriving_while_a_processing_time_query_runs_show_up_in_later_batchesAsync()
    {
        await using var spark = Session();
        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 0, 5);
        var query = await StartBronzeAsync(spark, Trigger.ProcessingTime("200 milliseconds"));

        await WaitForRowsAsync(query, 5);
        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 1, 5);
        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 2, 5);
        await WaitForRowsAsync(query, 15);
        await query.StopAsync();

        Assert.True(query.RecentProgress.Count >= 2);
        Assert.Equal("15", RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n FROM bronze")!))[0]["n"]!.ToString());
    }

    [Fact]
    public async Task A_second_query_on_the_same_checkpoint_fails_clearlyAsync()
    {
        await using var spark = Session();
        var first = await StartBronzeAsync(spark, Trigger.ProcessingTime("1 second"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartBronzeAsync(spark, Trigger.AvailableNow));
        await first.StopAsync();

        Assert.Contains("checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_cloudFiles_option_is_named_with_a_suggestionAsync()
    {
        await using var spark = Session();
        var frame = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilePerTrigger", "5")
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => frame.WriteStream().Option("checkpointLocation", temp.Combine("cp")).ToTableAsync("t"));

        Assert.Contains("maxFilePerTrigger", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxFilesPerTrigger", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForRowsAsync(StreamingQuery query, long rows)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (query.RecentProgress.Sum(p => p.NumInputRows) < rows)
        {
            Assert.True(query.IsActive, $"the query stopped: {query.Exception}");
            await Task.Delay(50, timeout.Token);
        }
    }

    private static List<JsonNode?> DuckDb(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT to_json(r)::VARCHAR FROM ({sql}) r";
        var rows = new List<JsonNode?>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }
}
