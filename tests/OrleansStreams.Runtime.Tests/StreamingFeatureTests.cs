using System.Collections.Concurrent;
using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

public sealed class StreamingFeatureTests : IDisposable
{
    private readonly TempDirectory temp = new("streaming");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

    private Engine.DataFrames.DataFrame Raw(StreamingSession spark, string path, params (string Key, string Value)[] options)
    {
        var reader = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema);
        foreach (var (key, value) in options)
        {
            reader.Option(key, value);
        }

        return reader.Load(path);
    }

    [Fact]
    public async Task Once_runs_a_single_batch_with_everything_then_stopsAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            KafkaRawFiles.Write(temp.Combine("in"), i, 4);
        }

        await using var spark = Session();
        var query = await Raw(spark, temp.Combine("in"), ("cloudFiles.maxFilesPerTrigger", "1")).WriteStream()
            .Format("memory").QueryName("once").Trigger(Trigger.Once).StartAsync();
        await query.AwaitTerminationAsync();

        Assert.Single(query.RecentProgress);
        Assert.Equal(12, spark.MemoryTable("once").Sum(b => b.Length));
    }

    [Fact]
    public async Task A_manual_trigger_only_runs_on_process_all_availableAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 3);
        await using var spark = Session();
        var query = await Raw(spark, temp.Combine("in")).WriteStream().Format("memory").QueryName("manual").Trigger(Trigger.Manual).StartAsync();

        await Task.Delay(300);
        var before = spark.MemoryTable("manual").Sum(b => b.Length);
        await query.ProcessAllAvailableAsync();
        KafkaRawFiles.Write(temp.Combine("in"), 1, 3);
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal(0, before);
        Assert.Equal(6, spark.MemoryTable("manual").Sum(b => b.Length));
        Assert.False(query.IsActive);
    }

    [Fact]
    public async Task Foreach_batch_and_listeners_see_every_batch_with_its_idAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            KafkaRawFiles.Write(temp.Combine("in"), i, 2);
        }

        var seen = new ConcurrentBag<(long BatchId, int Rows)>();
        var listener = new RecordingListener();
        await using var spark = Session();
        var query = await Raw(spark, temp.Combine("in"), ("cloudFiles.maxFilesPerTrigger", "1")).WriteStream()
            .ForeachBatch((schema, rows, batchId, _) =>
            {
                seen.Add((batchId, rows.Sum(r => r.Length)));
                return Task.CompletedTask;
            })
            .Listener(listener)
            .Trigger(Trigger.AvailableNow)
            .StartAsync();
        await query.AwaitTerminationAsync();

        Assert.Equal([(0L, 2), (1L, 2), (2L, 2)], seen.OrderBy(s => s.BatchId));
        Assert.Equal(["started", "progress 0", "progress 1", "progress 2", "terminated"], listener.Events);
        var progress = query.LastProgress!.ToJson();
        Assert.Equal(2, progress["batchId"]!.GetValue<long>());
        Assert.Equal(2, progress["numInputRows"]!.GetValue<long>());
        // Spark's phases: each measured, and together no longer than the whole trigger.
        var durations = progress["durationMs"]!.AsObject();
        Assert.Equal(["addBatch", "commitOffsets", "getBatch", "latestOffset", "triggerExecution", "walCommit"], durations.Select(d => d.Key).Order());
        Assert.True(durations.Where(d => d.Key != "triggerExecution").Sum(d => d.Value!.GetValue<long>()) <= durations["triggerExecution"]!.GetValue<long>());
        // The input rate counts from the previous batch's start, the processing rate over this batch's time: the first batch has no input rate.
        Assert.Equal(0, query.RecentProgress[0].InputRowsPerSecond);
        Assert.True(query.LastProgress.InputRowsPerSecond > 0 && query.LastProgress.ProcessedRowsPerSecond > 0);
        Assert.StartsWith("CloudFilesSource[", progress["sources"]![0]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Existing_files_can_be_skipped_and_globs_and_partition_folders_applyAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in", "region=eu", "day=1"), 0, 2);
        await using var spark = Session();
        var frame = Raw(spark, temp.Combine("in", "region=*", "day=*"), ("cloudFiles.includeExistingFiles", "false"), ("cloudFiles.partitionColumns", "region"), ("cloudFiles.pathGlobFilter", "*.json"));
        var query = await frame.WriteStream().Format("memory").QueryName("globbed").Trigger(Trigger.Manual).StartAsync();

        await query.ProcessAllAvailableAsync();
        KafkaRawFiles.Write(temp.Combine("in", "region=us", "day=2"), 1, 3);
        File.WriteAllText(temp.Combine("in", "region=us", "day=2", "notes.txt"), "not json");
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        var rows = spark.MemoryTable("globbed");
        Assert.Equal(3, rows.Sum(b => b.Length));
        Assert.Equal("region", rows[0].Schema.GetFieldByIndex(rows[0].ColumnCount - 1).Name);
        Assert.Equal("us", Engine.Expressions.Evaluation.Columns.GetScalar(rows[0].Column(rows[0].ColumnCount - 1), 0));
    }

    private static List<long> Offsets(IEnumerable<Apache.Arrow.RecordBatch> rows) =>
        [.. RowJson.Render(rows).Select(r => long.Parse(r["offset"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).Order()];

    [Fact]
    public async Task Modified_after_and_modified_before_keep_only_the_files_written_between_themAsync()
    {
        File.SetLastWriteTimeUtc(KafkaRawFiles.Write(temp.Combine("in"), 0, 2), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(KafkaRawFiles.Write(temp.Combine("in"), 1, 3), new DateTime(2022, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(KafkaRawFiles.Write(temp.Combine("in"), 2, 4), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await using var spark = Session();
        var between = await Raw(spark, temp.Combine("in"), ("cloudFiles.modifiedAfter", "2021-01-01 00:00:00"), ("modifiedBefore", "2023-01-01T00:00:00Z"))
            .WriteStream().Format("memory").QueryName("between").Trigger(Trigger.AvailableNow).StartAsync();
        var after = await Raw(spark, temp.Combine("in"), ("cloudFiles.modifiedAfter", "2022-06-01 00:00:00"))
            .WriteStream().Format("memory").QueryName("after").Trigger(Trigger.AvailableNow).StartAsync();
        await between.AwaitTerminationAsync();
        await after.AwaitTerminationAsync();

        Assert.Equal([3L, 4L, 5L], Offsets(spark.MemoryTable("between"))); // file 1 only
        Assert.Equal([8L, 9L, 10L, 11L], Offsets(spark.MemoryTable("after"))); // strictly after: file 1 is at the bound
    }

    [Fact]
    public async Task Recursive_file_lookup_false_reads_only_the_folders_own_filesAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 2);
        KafkaRawFiles.Write(temp.Combine("in", "sub"), 1, 3);
        KafkaRawFiles.Write(temp.Combine("in", "sub", "deeper"), 2, 1);
        await using var spark = Session();
        var flat = await Raw(spark, temp.Combine("in"), ("cloudFiles.recursiveFileLookup", "false"))
            .WriteStream().Format("memory").QueryName("flat").Trigger(Trigger.AvailableNow).StartAsync();
        var recursive = await Raw(spark, temp.Combine("in"))
            .WriteStream().Format("memory").QueryName("recursive").Trigger(Trigger.AvailableNow).StartAsync();
        await flat.AwaitTerminationAsync();
        await recursive.AwaitTerminationAsync();

        Assert.Equal([0L, 1L], Offsets(spark.MemoryTable("flat")));
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], Offsets(spark.MemoryTable("recursive")));
    }

    [Fact]
    public async Task The_stream_exposes_each_files_metadata_when_askedAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 3, 2);
        await using var spark = Session();
        var query = await Raw(spark, temp.Combine("in")).SelectExpr("offset", "_metadata.file_name AS file", "_metadata.file_path AS path")
            .WriteStream().Format("memory").QueryName("meta").Trigger(Trigger.AvailableNow).StartAsync();
        await query.AwaitTerminationAsync();

        var rows = RowJson.Render(spark.MemoryTable("meta"));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("part-0003.json", r["file"]!.ToString()));
        Assert.All(rows, r => Assert.EndsWith("/in/part-0003.json", r["path"]!.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_metadata_modification_time_is_each_files_last_write_timeAsync()
    {
        File.SetLastWriteTimeUtc(KafkaRawFiles.Write(temp.Combine("in"), 0, 1), new DateTime(2023, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(KafkaRawFiles.Write(temp.Combine("in"), 1, 1), new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Utc));
        await using var spark = Session();
        var query = await Raw(spark, temp.Combine("in")).SelectExpr("_metadata.file_name AS file", "_metadata.file_modification_time AS modified")
            .WriteStream().Format("memory").QueryName("modified").Trigger(Trigger.AvailableNow).StartAsync();
        await query.AwaitTerminationAsync();

        var rows = RowJson.Render(spark.MemoryTable("modified")).Select(r => $"{r["file"]} {r["modified"]}").Order(StringComparer.Ordinal);
        Assert.Equal(["part-0000.json 2023-05-06 07:08:09+00", "part-0001.json 2024-02-29 23:59:58+00"], rows);
    }

    [Fact]
    public async Task A_delete_in_a_delta_source_fails_the_query_unless_change_commits_are_skippedAsync()
    {
        await using var spark = Session();
        var schema = DdlParser.ParseSchema("id INT");
        var entry = await spark.Catalog.CreateAsync("events");
        var table = new DeltaTable(spark.Catalog.OpenStore(entry));
        await table.WriteAsync(schema, [RecordBatches.Of(schema, [[1], [2]])]);
        var failing = await spark.ReadStream.Table("events").WriteStream().Format("memory").QueryName("strict").Trigger(Trigger.Manual).StartAsync();
        var skipping = await spark.ReadStream.Option("skipChangeCommits", "true").Table("events").WriteStream().Format("memory").QueryName("lenient").Trigger(Trigger.Manual).StartAsync();
        await failing.ProcessAllAvailableAsync();
        await skipping.ProcessAllAvailableAsync();

        await table.WriteAsync(schema, [RecordBatches.Of(schema, [[3]])], new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite });
        await table.WriteAsync(schema, [RecordBatches.Of(schema, [[4]])]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.ProcessAllAvailableAsync());
        await skipping.ProcessAllAvailableAsync();

        Assert.Contains("skipChangeCommits", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, spark.MemoryTable("lenient").Sum(b => b.Length)); // 1, 2 and then 4: the overwrite commit is skipped
        await failing.StopAsync();
        await skipping.StopAsync();
    }

    private sealed class RecordingListener : IStreamingQueryListener
    {
        public List<string> Events { get; } = [];

        public void OnQueryStarted(StreamingQuery query) => Add("started");

        public void OnQueryProgress(StreamingQuery query, StreamingQueryProgress progress) => Add($"progress {progress.BatchId}");

        public void OnQueryTerminated(StreamingQuery query, Exception? exception) => Add("terminated");

        private void Add(string text)
        {
            lock (Events)
            {
                Events.Add(text);
            }
        }
    }
}
