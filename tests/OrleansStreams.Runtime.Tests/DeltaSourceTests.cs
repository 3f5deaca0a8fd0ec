using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>A Delta table read as a stream by path (<c>Format("delta").Load(path)</c>): startingVersion and ignoreDeletes.</summary>
public sealed class DeltaSourceTests : IDisposable
{
    private static readonly StructType Schema = DdlParser.ParseSchema("id INT");

    private readonly TempDirectory temp = new("delta-source");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

    private string TablePath => temp.Combine("events");

    /// <summary>Appends one file; returns the commit's version.</summary>
    private static async Task<long> AppendAsync(DeltaTable table, params int[] ids) =>
        (await table.WriteAsync(Schema, [RecordBatches.Of(Schema, [.. ids.Select(i => new object?[] { i })])]))!.Value;

    private static List<int> Ids(StreamingSession spark, string queryName) =>
        [.. RowJson.Render(spark.MemoryTable(queryName)).Select(r => (int)r["id"]!).Order()];

    private static async Task<StreamingQuery> StartAsync(DataStreamReader reader, string path, string name) =>
        await reader.Format("delta").Load(path).WriteStream().Format("memory").QueryName(name).Trigger(Trigger.Manual).StartAsync();

    [Fact]
    public async Task A_delta_path_streams_its_snapshot_then_each_new_commitAsync()
    {
        await using var spark = Session();
        var table = new DeltaTable(spark.Stores.Create(TablePath));
        await AppendAsync(table, 1, 2);
        await AppendAsync(table, 3);
        var query = await StartAsync(spark.ReadStream, TablePath, "by_path");

        await query.ProcessAllAvailableAsync();
        var snapshot = Ids(spark, "by_path");
        await AppendAsync(table, 4);
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal([1, 2, 3], snapshot);
        Assert.Equal([1, 2, 3, 4], Ids(spark, "by_path"));
        Assert.StartsWith("DeltaSource[", query.LastProgress!.ToJson()["sources"]![0]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_version_reads_the_changes_from_that_version_onAsync()
    {
        await using var spark = Session();
        var table = new DeltaTable(spark.Stores.Create(TablePath));
        await AppendAsync(table, 1, 2); // after the version that creates the table
        var second = await AppendAsync(table, 3);
        await AppendAsync(table, 4);
        var query = await StartAsync(spark.ReadStream.Option("startingVersion", second.ToString(System.Globalization.CultureInfo.InvariantCulture)), TablePath, "from_v1");

        await query.ProcessAllAvailableAsync();
        await AppendAsync(table, 5);
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal([3, 4, 5], Ids(spark, "from_v1"));
    }

    [Fact]
    public async Task Ignore_deletes_skips_a_commit_that_only_removes_filesAsync()
    {
        await using var spark = Session();
        var table = new DeltaTable(spark.Stores.Create(TablePath));
        await AppendAsync(table, 1);
        await AppendAsync(table, 2);
        var lenient = await StartAsync(spark.ReadStream.Option("ignoreDeletes", "true"), TablePath, "lenient");
        var strict = await StartAsync(spark.ReadStream, TablePath, "strict");
        await lenient.ProcessAllAvailableAsync();
        await strict.ProcessAllAvailableAsync();

        var snapshot = await table.GetSnapshotAsync();
        var first = snapshot.ActiveFiles.OrderBy(f => f.ModificationTime).First();
        await table.Log.CommitAsync(new DeltaTransaction(snapshot, "DELETE").RemoveFile(first.ToRemove(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        await AppendAsync(table, 3);
        await lenient.ProcessAllAvailableAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => strict.ProcessAllAvailableAsync());
        await lenient.StopAsync();
        await strict.StopAsync();

        Assert.Equal([1, 2, 3], Ids(spark, "lenient")); // the delete is not replayed; the append after it is read
        Assert.Contains("Detected deleted data", error.Message, StringComparison.Ordinal);
        Assert.Contains("ignoreDeletes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ignore_deletes_still_fails_on_a_commit_that_rewrites_filesAsync()
    {
        await using var spark = Session();
        var table = new DeltaTable(spark.Stores.Create(TablePath));
        await AppendAsync(table, 1, 2);
        var query = await StartAsync(spark.ReadStream.Option("ignoreDeletes", "true"), TablePath, "rewritten");
        await query.ProcessAllAvailableAsync();

        // An overwrite removes files and adds others: an update, which ignoreDeletes does not cover (as in Spark).
        await table.WriteAsync(Schema, [RecordBatches.Of(Schema, [[7]])], new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => query.ProcessAllAvailableAsync());
        await query.StopAsync();

        Assert.Contains("skipChangeCommits", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2], Ids(spark, "rewritten"));
    }

    [Fact]
    public async Task A_column_mapped_table_streams_its_columns_by_physical_nameAsync()
    {
        await using var spark = Session();
        var table = new DeltaTable(spark.Stores.Create(TablePath));
        await table.CreateAsync(Schema, configuration: new Dictionary<string, string> { [ColumnMapping.ModeProperty] = "name" });
        await AppendAsync(table, 1, 2);
        var query = await StartAsync(spark.ReadStream, TablePath, "mapped");

        await query.ProcessAllAvailableAsync();
        await AppendAsync(table, 3);
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal([1, 2, 3], Ids(spark, "mapped"));
    }

    [Fact]
    public async Task Sparks_name_mode_table_streams_with_its_partition_valuesAsync()
    {
        await using var spark = Session();
        TestData.CopyDeltaTable("data-reader-timestamp_ntz-name-mode", TablePath);

        var query = await StartAsync(spark.ReadStream, TablePath, "spark_mapped");
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        var rows = RowJson.Render(spark.MemoryTable("spark_mapped"));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8], rows.Select(r => (int)r["id"]!).Order());
        Assert.Equal(3, rows.Count(r => r["tsNtzPartition"]?.GetValue<string>() == "2021-11-18 02:30:00.123456"));
        Assert.Equal(3, rows.Count(r => r["tsNtzPartition"] is null));
    }

    /// <summary>The ids a memory sink holds (golden tables have long ids).</summary>
    private static List<long> LongIds(StreamingSession spark, string queryName) =>
        [.. RowJson.Render(spark.MemoryTable(queryName)).Select(r => long.Parse(r["id"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).Order()];

    [Fact]
    public async Task A_commit_that_gives_a_file_a_deletion_vector_is_a_change_commit_as_in_SparkAsync()
    {
        // Spark's DELETE of id = 0 at version 1 removes the file and adds it again with a deletion vector.
        await using var spark = Session();
        TestData.CopyDeltaTable("log-replay-dv-key-cases", TablePath, throughVersion: 0);
        var strict = await StartAsync(spark.ReadStream, TablePath, "strict");
        var deletes = await StartAsync(spark.ReadStream.Option("ignoreDeletes", "true"), TablePath, "deletes");
        var skipping = await StartAsync(spark.ReadStream.Option("skipChangeCommits", "true"), TablePath, "skipping");
        foreach (var query in new[] { strict, deletes, skipping })
        {
            await query.ProcessAllAvailableAsync();
        }

        TestData.CopyDeltaCommit("log-replay-dv-key-cases", TablePath, 1);
        var strictError = await Assert.ThrowsAnyAsync<Exception>(() => strict.ProcessAllAvailableAsync());
        var deletesError = await Assert.ThrowsAnyAsync<Exception>(() => deletes.ProcessAllAvailableAsync());
        await skipping.ProcessAllAvailableAsync();
        foreach (var query in new[] { strict, deletes, skipping })
        {
            await query.StopAsync();
        }

        // ignoreDeletes does not cover a commit that also adds files (DeltaSource: DELTA_SOURCE_TABLE_IGNORE_CHANGES).
        foreach (var error in new[] { strictError, deletesError })
        {
            Assert.Contains("Detected a data update (for example DELETE (Map(predicate -> [\"(id#443L = 0)\"]))) in the source table at version 1", error.Message, StringComparison.Ordinal);
            Assert.Contains("set the option 'skipChangeCommits' to 'true'", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), LongIds(spark, "skipping"));
    }

    [Fact]
    public async Task A_stream_drops_the_rows_a_deletion_vector_hides_in_the_files_it_readsAsync()
    {
        // At version 3 the one data file carries a DV of ids 0, 7 and 14. Version 4 (ours) adds a copy of that file
        // with the same DV: a plain append, which a stream from version 4 reads.
        await using var spark = Session();
        TestData.CopyDeltaTable("log-replay-dv-key-cases", TablePath);
        var table = new DeltaTable(spark.Stores.Create(TablePath));
        var snapshot = await table.GetSnapshotAsync();
        var original = snapshot.ActiveFiles.Single();
        File.Copy(Path.Combine(TablePath, original.Path), Path.Combine(TablePath, "copy.parquet"));
        await table.Log.CommitAsync(DeltaTransaction.Append([original with { Path = "copy.parquet" }], snapshot));
        var fromSnapshot = await StartAsync(spark.ReadStream, TablePath, "from_snapshot");
        var fromCommit = await StartAsync(spark.ReadStream.Option("startingVersion", "4"), TablePath, "from_commit");

        await fromSnapshot.ProcessAllAvailableAsync();
        await fromCommit.ProcessAllAvailableAsync();
        await fromSnapshot.StopAsync();
        await fromCommit.StopAsync();

        var live = Enumerable.Range(0, 50).Where(i => i is not (0 or 7 or 14)).Select(i => (long)i).ToList();
        Assert.Equal(live.Concat(live).Order(), LongIds(spark, "from_snapshot"));
        Assert.Equal(live, LongIds(spark, "from_commit"));
    }
}
