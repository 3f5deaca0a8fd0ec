using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Writing and reading Delta tables, run against each object store backend by a subclass.</summary>
public abstract partial class DeltaTableContractTests
{
    /// <summary>A fresh, empty folder for one table.</summary>
    protected abstract IObjectStore NewTableStore();

    /// <summary>Reads the table with DuckDB alone (from a local copy of it for a remote store) and compares its rows.</summary>
    protected abstract Task CheckIndependentlyAsync(IObjectStore store, IReadOnlyList<object?[]> expectedRows, StructType schema, IReadOnlyList<string> partitionColumns);

    [Fact]
    public async Task A_partitioned_append_reads_back_with_partition_columns_filled_inAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        var batch = BronzeRows(0, 60);

        var version = await table.WriteAsync(Bronze, [batch], new DeltaWriteOptions { PartitionBy = ["topic", "year_month"] });

        Assert.Equal(1, version);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(["topic", "year_month"], snapshot.PartitionColumns);
        Assert.Equal(6, snapshot.ActiveFiles.Count); // 3 topics × 2 months
        Assert.All(snapshot.ActiveFiles, f => Assert.StartsWith($"topic={f.PartitionValues["topic"]}/year_month={f.PartitionValues["year_month"]}/part-", f.Path, StringComparison.Ordinal));
        Assert.Equal(Canonical(Rows(batch)), Canonical(await ReadAllAsync(table)));
        await CheckIndependentlyAsync(store, Rows(batch), Bronze, ["topic", "year_month"]);
    }

    [Fact]
    public async Task Add_actions_carry_size_modification_time_and_statsAsync()
    {
        var table = new DeltaTable(NewTableStore());
        await table.WriteAsync(Bronze, [BronzeRows(0, 9)], new DeltaWriteOptions { PartitionBy = ["topic"] });

        var file = (await table.GetSnapshotAsync()).ActiveFiles.Single(f => f.PartitionValues["topic"] == "orders");

        Assert.True(file.Size > 0);
        Assert.True(file.ModificationTime > 0);
        Assert.True(file.DataChange);
        using var stats = System.Text.Json.JsonDocument.Parse(file.Stats!);
        Assert.Equal(3, stats.RootElement.GetProperty("numRecords").GetInt32());
        Assert.Equal(0, stats.RootElement.GetProperty("minValues").GetProperty("offset").GetInt64());
        Assert.Equal(6, stats.RootElement.GetProperty("maxValues").GetProperty("offset").GetInt64());
        Assert.Equal(1, stats.RootElement.GetProperty("nullCount").GetProperty("key").GetInt32());
    }

    [Fact]
    public async Task Overwrite_replaces_every_row_in_one_commit_and_time_travel_sees_the_oldAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        await table.WriteAsync(Bronze, [BronzeRows(0, 10)]);
        var replacement = BronzeRows(100, 4);

        var version = await table.WriteAsync(Bronze, [replacement], new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite });

        Assert.Equal(Canonical(Rows(replacement)), Canonical(await ReadAllAsync(table)));
        Assert.Equal(10, (await ReadAllAsync(table, version - 1)).Count);
        var history = await table.Log.GetHistoryAsync();
        Assert.Equal("WRITE", history[0].CommitInfo?.Operation);
        await CheckIndependentlyAsync(store, Rows(replacement), Bronze, []);
    }

    [Fact]
    public async Task A_txn_write_records_its_version_and_a_replay_of_it_is_skippedAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        var options = new DeltaWriteOptions { TxnAppId = "query-1", TxnVersion = 0 };

        var first = await table.WriteAsync(Bronze, [BronzeRows(0, 5)], options);
        var replay = await table.WriteAsync(Bronze, [BronzeRows(0, 5)], options);
        var next = await table.WriteAsync(Bronze, [BronzeRows(5, 5)], options with { TxnVersion = 1 });

        Assert.NotNull(first);
        Assert.Null(replay);
        Assert.NotNull(next);
        Assert.Equal(1, (await table.GetSnapshotAsync()).GetTransactionVersion("query-1"));
        Assert.Equal(10, (await ReadAllAsync(table)).Count);
        await CheckIndependentlyAsync(store, [.. Rows(BronzeRows(0, 5)), .. Rows(BronzeRows(5, 5))], Bronze, []);
    }

    [Fact]
    public async Task A_streaming_complete_batch_replaces_the_table_and_records_the_queryAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        var schema = DdlParser.ParseSchema("author STRING, total_books LONG");
        var options = new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite, StreamingOutputMode = "Complete", TxnAppId = "q", TxnVersion = 0 };
        await table.WriteAsync(schema, [Batch(schema, [["a", 1L]])], options);

        await table.WriteAsync(schema, [Batch(schema, [["a", 2L], ["b", 1L]])], options with { TxnVersion = 1 });

        Assert.Equal(Canonical([["a", 2L], ["b", 1L]]), Canonical(await ReadAllAsync(table)));
        Assert.Equal("STREAMING UPDATE", (await table.Log.GetHistoryAsync())[0].CommitInfo?.Operation);
        await CheckIndependentlyAsync(store, [["a", 2L], ["b", 1L]], schema, []);
    }

    [Fact]
    public async Task New_columns_need_mergeSchema_and_are_added_at_the_endAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        var v1 = DdlParser.ParseSchema("id LONG, name STRING");
        var v2 = DdlParser.ParseSchema("id LONG, extra INT, name STRING");
        await table.WriteAsync(v1, [Batch(v1, [[1L, "a"]])]);

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => table.WriteAsync(v2, [Batch(v2, [[2L, 7, "b"]])]));
        await table.WriteAsync(v2, [Batch(v2, [[2L, 7, "b"]])], new DeltaWriteOptions { MergeSchema = true });

        Assert.Contains("extra", refused.Message, StringComparison.Ordinal);
        Assert.Contains("mergeSchema", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["id", "name", "extra"], (await table.GetSnapshotAsync()).Schema.FieldNames);
        Assert.Equal(Canonical([[1L, "a", null], [2L, "b", 7]]), Canonical(await ReadAllAsync(table)));
        await CheckIndependentlyAsync(store, [[1L, "a", null], [2L, "b", 7]], DdlParser.ParseSchema("id LONG, name STRING, extra INT"), []);
    }

    [Fact]
    public async Task A_type_change_is_refused_even_with_mergeSchemaAsync()
    {
        var table = new DeltaTable(NewTableStore());
        var v1 = DdlParser.ParseSchema("id LONG");
        var v2 = DdlParser.ParseSchema("id STRING");
        await table.WriteAsync(v1, [Batch(v1, [[1L]])]);

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => table.WriteAsync(v2, [Batch(v2, [["x"]])], new DeltaWriteOptions { MergeSchema = true }));

        Assert.Contains("id", error.Message, StringComparison.Ordinal);
        Assert.Single(await ReadAllAsync(table));
    }

    [Fact]
    public async Task Hostile_partition_values_stay_inside_the_table_folder_and_read_back_exactlyAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        var schema = DdlParser.ParseSchema("id INT, p STRING");
        string?[] hostile = ["../../escape", "/absolute", "a/b", "%2F..%2F", "x=y", "c:d", "#hash", "new\nline", "tab\tx", "é ü", "..", "", null, "__HIVE_DEFAULT_PARTITION__x", "{braces}", "[brackets]", "^caret"];
        var rows = hostile.Select((p, i) => new object?[] { i, p }).ToList();

        await table.WriteAsync(schema, [Batch(schema, rows)], new DeltaWriteOptions { PartitionBy = ["p"] });

        var keys = new List<string>();
        await foreach (var page in store.ListAsync("", ListOptions.Recursive))
        {
            keys.AddRange(page.Objects.Select(o => o.Key));
        }

        Assert.All(keys, k => Assert.DoesNotContain("..", k.Split('/')));
        Assert.All(keys.Where(k => !k.StartsWith("_delta_log/", StringComparison.Ordinal)), k => Assert.StartsWith("p=", k, StringComparison.Ordinal));
        var read = await ReadAllAsync(table);

        // Spark reads an empty string partition value back as NULL, as we do.
        var expected = rows.Select(r => new object?[] { r[0], (string?)r[1] == "" ? null : r[1] }).ToList();
        Assert.Equal(Canonical(expected), Canonical(read));
        await CheckIndependentlyAsync(store, expected, schema, ["p"]);
    }

    [Fact]
    public async Task Eight_concurrent_writers_each_land_exactly_onceAsync()
    {
        var store = NewTableStore();
        await new DeltaTable(store).CreateAsync(Bronze, ["topic"]);

        // Each writer has its own DeltaTable (its own log cache), as separate processes would.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < 3; round++)
            {
                await new DeltaTable(store).WriteAsync(Bronze, [BronzeRows((w * 1000) + (round * 10), 10)]);
            }
        }));
        await Task.WhenAll(writers);

        var table = new DeltaTable(store);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(24, snapshot.Version);
        var offsets = (await ReadAllAsync(table, columns: ["offset"])).Select(r => (long)r[0]!).Order().ToList();
        var expected = Enumerable.Range(0, 8).SelectMany(w => Enumerable.Range(0, 30).Select(i => (long)(w * 1000) + i)).Order().ToList();
        Assert.Equal(expected, offsets);
        await CheckIndependentlyAsync(store, await ReadAllAsync(table), Bronze, ["topic"]);
    }

    [Fact]
    public async Task A_checkpoint_every_ten_commits_keeps_the_table_readableAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        for (var i = 0; i < 12; i++)
        {
            await table.WriteAsync(Bronze, [BronzeRows(i * 2, 2)]);
        }

        Assert.NotNull(await store.GetPropertiesAsync("_delta_log/_last_checkpoint"));
        Assert.NotNull(await store.GetPropertiesAsync("_delta_log/00000000000000000010.checkpoint.parquet"));
        var fresh = new DeltaTable(store);
        Assert.Equal(24, (await ReadAllAsync(fresh)).Count);
        await CheckIndependentlyAsync(store, await ReadAllAsync(fresh), Bronze, []);
    }

    [Fact]
    public async Task Partition_columns_must_be_atomic_and_knownAsync()
    {
        var table = new DeltaTable(NewTableStore());

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => table.CreateAsync(Bronze, ["nope"]));
        var nested = await Assert.ThrowsAsync<ArgumentException>(() => table.CreateAsync(DdlParser.ParseSchema("s STRUCT<a: INT>"), ["s"]));

        Assert.Contains("`nope`", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("atomic", nested.Message, StringComparison.Ordinal);
    }
}
