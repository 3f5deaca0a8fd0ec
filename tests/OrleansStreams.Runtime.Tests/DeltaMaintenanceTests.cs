using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>OPTIMIZE, VACUUM and DESCRIBE DETAIL from SQL and the SDK, and a stream that reads a table while it is optimized.</summary>
public sealed class DeltaMaintenanceTests : IDisposable
{
    private static readonly StructType Schema = DdlParser.ParseSchema("id INT, day STRING");

    private readonly TempDirectory temp = new("delta-maintenance");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

    private static Task AppendAsync(DeltaTable table, int id) =>
        table.WriteAsync(Schema, [RecordBatches.Of(Schema, [[id, id % 2 == 0 ? "even" : "odd"]])], new DeltaWriteOptions { PartitionBy = ["day"] });

    private static async Task<DeltaTable> CatalogTableAsync(StreamingSession spark, string name)
    {
        var entry = await spark.Catalog.CreateAsync(name);
        return new DeltaTable(spark.Catalog.OpenStore(entry));
    }

    [Fact]
    public async Task A_stream_reading_a_table_that_is_optimized_neither_duplicates_nor_loses_rowsAsync()
    {
        await using var spark = Session();
        var path = temp.Combine("events");
        var table = new DeltaTable(spark.Stores.Create(path));
        for (var id = 1; id <= 4; id++)
        {
            await AppendAsync(table, id);
        }

        var query = await spark.ReadStream.Format("delta").Load(path).WriteStream().Format("memory").QueryName("ids").Trigger(Trigger.Manual).StartAsync();
        await query.ProcessAllAvailableAsync();
        for (var id = 5; id <= 12; id++)
        {
            await AppendAsync(table, id);
            if (id % 3 == 0)
            {
                // Each compaction rewrites files the stream has read and files it has not read yet.
                Assert.NotNull((await table.OptimizeAsync()).Version);
            }

            if (id % 2 == 0)
            {
                await query.ProcessAllAvailableAsync();
            }
        }

        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal(Enumerable.Range(1, 12), Ids(spark.MemoryTable("ids")));

        // A stream started after the compactions reads the compacted snapshot once.
        var late = await spark.ReadStream.Format("delta").Load(path).WriteStream().Format("memory").QueryName("late").Trigger(Trigger.AvailableNow).StartAsync();
        await late.AwaitTerminationAsync();
        Assert.Equal(Enumerable.Range(1, 12), Ids(spark.MemoryTable("late")));
    }

    [Fact]
    public async Task Optimize_vacuum_and_describe_detail_run_from_sqlAsync()
    {
        await using var spark = Session();
        var table = await CatalogTableAsync(spark, "events");
        await table.CreateAsync(Schema, ["day"], new Dictionary<string, string> { ["delta.appendOnly"] = "false" });
        for (var id = 1; id <= 6; id++)
        {
            await AppendAsync(table, id);
        }

        var optimized = Single(await spark.CollectAsync(spark.Sql("OPTIMIZE events WHERE day = 'even'")!));
        var metrics = optimized["metrics"]!;
        Assert.Equal(table.Store.Root, optimized["path"]!.GetValue<string>());
        Assert.Equal(3, Long(metrics["numFilesRemoved"]!));
        Assert.Equal(1, Long(metrics["numFilesAdded"]!));
        Assert.Equal(3, Long(metrics["filesRemoved"]!["totalFiles"]!));

        var detail = Single(await spark.CollectAsync(spark.Sql("DESCRIBE DETAIL events")!));
        Assert.Equal("delta", detail["format"]!.GetValue<string>());
        Assert.Equal("default.events", detail["name"]!.GetValue<string>());
        Assert.Equal(4, Long(detail["numFiles"]!)); // one even file, three odd ones
        Assert.Equal(["day"], detail["partitionColumns"]!.AsArray().Select(c => c!.GetValue<string>()));
        var property = Assert.Single(detail["properties"]!.AsArray());
        Assert.Equal(("delta.appendOnly", "false"), (property!["key"]!.GetValue<string>(), property["value"]!.GetValue<string>()));
        Assert.Equal(["appendOnly", "invariants"], detail["tableFeatures"]!.AsArray().Select(c => c!.GetValue<string>()));
        var history = RowJson.Render(await spark.CollectAsync(spark.Sql("DESCRIBE HISTORY events")!));
        Assert.Equal(["OPTIMIZE", .. Enumerable.Repeat("WRITE", 6), "CREATE TABLE"], history.Select(r => r["operation"]!.GetValue<string>()));
        Assert.Equal("7", history[0]["version"]!.ToString());
        Assert.Contains(history[0]["operationParameters"]!.AsArray(), p => p!["key"]!.GetValue<string>() == "predicate" && p["value"]!.GetValue<string>().Contains("day", StringComparison.Ordinal));

        // The compacted files are a few seconds old: only a retention of 0 hours reaches them, which needs the check off.
        var refused = Assert.ThrowsAny<Exception>(() => spark.Sql("VACUUM events RETAIN 0 HOURS"));
        Assert.Contains("retentionDurationCheck", refused.Message, StringComparison.Ordinal);
        spark.Sql("SET spark.databricks.delta.retentionDurationCheck.enabled = false");
        var listed = RowJson.Render(await spark.CollectAsync(spark.Sql("VACUUM events RETAIN 0 HOURS DRY RUN")!));
        Assert.Equal(3, listed.Count);
        Assert.All(listed, r => Assert.Contains("day=even", r["path"]!.GetValue<string>(), StringComparison.Ordinal));

        await spark.CollectAsync(spark.Sql("VACUUM events RETAIN 0 HOURS")!);

        Assert.Empty((await spark.DeltaTable("events").VacuumAsync(0, dryRun: true)).Files);
        var all = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id FROM events")!));
        Assert.Equal(Enumerable.Range(1, 6), all.Select(r => (int)r["id"]!).Order());
        Assert.Equal(6, DuckDbDelta.Totals(table.Store.Root, "id").Rows);
    }

    [Fact]
    public async Task The_sdk_handle_optimizes_by_path_and_reports_history_and_detailAsync()
    {
        await using var spark = Session();
        var path = temp.Combine("by_path");
        var table = new DeltaTable(spark.Stores.Create(path));
        for (var id = 1; id <= 4; id++)
        {
            await AppendAsync(table, id);
        }

        var handle = spark.DeltaTable(path);
        var metrics = await handle.OptimizeAsync();
        var detail = await handle.DetailAsync();
        var history = await handle.HistoryAsync();

        Assert.Equal((4L, 2L), (metrics.NumFilesRemoved, metrics.NumFilesAdded));
        Assert.Null(detail.Name);
        Assert.Equal(2, detail.NumFiles);
        Assert.Equal("OPTIMIZE", history[0].CommitInfo?.Operation);
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => spark.DeltaTable("no_such_table").DetailAsync());
        Assert.Contains("no_such_table", missing.Message, StringComparison.Ordinal);
    }

    private static List<int> Ids(IReadOnlyList<Apache.Arrow.RecordBatch> batches) =>
        [.. RowJson.Render(batches).Select(r => (int)r["id"]!).Order()];

    private static long Long(JsonNode value) => long.Parse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Single(IReadOnlyList<Apache.Arrow.RecordBatch> batches) => Assert.Single(RowJson.Render(batches));
}
