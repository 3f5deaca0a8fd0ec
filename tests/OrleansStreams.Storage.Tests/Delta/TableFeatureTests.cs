using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>Reader and writer table features: what is read, what is refused by name, and what writes enforce.</summary>
public sealed class TableFeatureTests : IDisposable
{
    private static readonly StructType Ids = DdlParser.ParseSchema("id INT, name STRING");
    private readonly TempDirectory temp = new("delta-features");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_reader_feature_we_do_not_implement_is_refused_by_nameAsync()
    {
        var folder = LogOnlyTable("""{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz","deletionVectors","someFutureFeature","anotherFutureFeature"],"writerFeatures":["timestampNtz","deletionVectors"]}}""");

        var e = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => new DeltaTable(new LocalFileObjectStore(folder)).GetSnapshotAsync());

        Assert.Equal(["someFutureFeature", "anotherFutureFeature"], e.Features);
        Assert.Contains(folder, e.Message, StringComparison.Ordinal);
        Assert.Contains("someFutureFeature, anotherFutureFeature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_of_commits_stops_at_a_protocol_upgrade_it_cannot_readAsync()
    {
        var folder = LogOnlyTable("""{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}""");
        var log = new DeltaLog(new LocalFileObjectStore(folder));
        await new DeltaTable(log.Store).WriteAsync(Ids, [Batch(Ids, [[1, "a"]])]);
        File.WriteAllText(
            Path.Combine(folder, "_delta_log", "00000000000000000002.json"),
            """{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["someFutureFeature"],"writerFeatures":["someFutureFeature"]}}""" + "\n");

        var seen = new List<long>();
        var e = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(async () =>
        {
            await foreach (var (version, _) in log.ReadCommitsAsync(1))
            {
                seen.Add(version);
            }
        });

        Assert.Equal([1L], seen);
        Assert.Equal(["someFutureFeature"], e.Features);
    }

    [Fact]
    public async Task Reader_version_2_honours_the_column_mapping_modeAsync()
    {
        var unused = LogOnlyTable("""{"protocol":{"minReaderVersion":2,"minWriterVersion":5}}""");
        var used = LogOnlyTable("""{"protocol":{"minReaderVersion":2,"minWriterVersion":5}}""", "\"delta.columnMapping.mode\":\"name\"");
        var ignored = LogOnlyTable("""{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}""", "\"delta.columnMapping.mode\":\"name\"");

        Assert.Equal(ColumnMappingMode.None, ColumnMapping.For(await new DeltaTable(new LocalFileObjectStore(unused)).GetSnapshotAsync()).Mode);
        Assert.Equal(ColumnMappingMode.Name, ColumnMapping.For(await new DeltaTable(new LocalFileObjectStore(used)).GetSnapshotAsync()).Mode);
        Assert.Equal(ColumnMappingMode.None, ColumnMapping.For(await new DeltaTable(new LocalFileObjectStore(ignored)).GetSnapshotAsync()).Mode);
    }

    [Fact]
    public async Task A_column_mapping_mode_the_protocol_does_not_define_is_refusedAsync()
    {
        var folder = LogOnlyTable("""{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["columnMapping"],"writerFeatures":["columnMapping"]}}""", "\"delta.columnMapping.mode\":\"position\"");

        var e = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => new DeltaTable(new LocalFileObjectStore(folder)).GetSnapshotAsync());

        Assert.Equal(["columnMapping"], e.Features);
        Assert.Contains("position", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recorded_type_change_the_reader_cannot_apply_is_refusedAsync()
    {
        // long -> integer narrows: no reader may accept it, even with the feature listed.
        var schema = """{"type":"struct","fields":[{"name":"id","type":"integer","nullable":true,"metadata":{"delta.typeChanges":[{"fromType":"long","toType":"integer"}]}}]}""";
        var folder = LogOnlyTable("""{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["typeWidening"],"writerFeatures":["typeWidening"]}}""", schemaString: schema);

        var e = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => new DeltaTable(new LocalFileObjectStore(folder)).GetSnapshotAsync());

        Assert.Equal(["typeWidening"], e.Features);
        Assert.Contains("id: bigint -> int", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Spark_type_widened_table_takes_an_append_in_its_current_typesAsync()
    {
        var folder = temp.Combine("type-widening");
        TestData.CopyDeltaTable("type-widening", folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var schema = (await table.GetSnapshotAsync()).Schema;

        Assert.Equal(3, await table.WriteAsync(schema, [Batch(schema, [[3L, 4L, 1.5, 2.5, 3.5, 4.5, 1.25m, 2.5m, 3.5m, 4.5m, 5.5m, 6.5m, 0L]])]));

        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(schema, snapshot.Schema);
        Assert.Contains("delta.typeChanges", snapshot.Metadata.SchemaString, StringComparison.Ordinal);
        Assert.Equal(3, (await ReadAllAsync(table)).Count);
    }

    [Fact]
    public async Task A_writer_feature_we_do_not_implement_refuses_writes_but_not_readsAsync()
    {
        var folder = LogOnlyTable("""{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["appendOnly","generatedColumns"]}}""");
        var table = new DeltaTable(new LocalFileObjectStore(folder));

        Assert.Equal(0, (await table.GetSnapshotAsync()).Version);
        var e = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => table.WriteAsync(Ids, [Batch(Ids, [[1, "a"]])]));

        Assert.Equal(["generatedColumns"], e.Features);
        Assert.Contains("generatedColumns", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await new DeltaLog(new LocalFileObjectStore(folder)).GetLatestVersionAsync());
    }

    [Fact]
    public async Task A_Spark_table_with_writer_features_we_implement_takes_an_appendAsync()
    {
        // Writer features appendOnly, invariants and vacuumProtocolCheck (reader 3 / writer 7).
        var folder = temp.Combine("vacuum-check");
        TestData.CopyDeltaTable("basic-with-vacuum-protocol-check-feature", folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var schema = DdlParser.ParseSchema("id INT, str STRING");

        Assert.Equal(2, await table.WriteAsync(schema, [Batch(schema, [[100, "val=100"]])]));

        var rows = await ReadAllAsync(table);
        Assert.Equal(101, rows.Count);
        Assert.Contains(rows, r => Equals(r[0], 100) && Equals(r[1], "val=100"));
        Assert.Equal(new ProtocolAction(3, 7, ["vacuumProtocolCheck"], ["appendOnly", "invariants", "vacuumProtocolCheck"]), (await table.GetSnapshotAsync()).Protocol);
    }

    [Fact]
    public async Task An_append_only_table_refuses_an_overwrite_and_stays_unchangedAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("append-only")));
        await table.CreateAsync(Ids, configuration: new Dictionary<string, string> { [TableFeatures.AppendOnlyProperty] = "true" });
        await table.WriteAsync(Ids, [Batch(Ids, [[1, "a"], [2, "b"]])]);

        var e = await Assert.ThrowsAsync<DeltaWriteRefusedException>(() =>
            table.WriteAsync(Ids, [Batch(Ids, [[3, "c"]])], new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite }));

        Assert.Contains("delta.appendOnly", e.Message, StringComparison.Ordinal);
        var snapshot = await new DeltaTable(table.Store).GetSnapshotAsync();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(Canonical([[1, "a"], [2, "b"]]), Canonical(await ReadAllAsync(table)));

        // Appending stays allowed.
        Assert.Equal(2, await table.WriteAsync(Ids, [Batch(Ids, [[3, "c"]])]));
    }

    [Fact]
    public async Task An_append_only_table_refuses_a_delete_but_takes_a_rearrangementAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("append-only-removes")));
        await table.CreateAsync(Ids, configuration: new Dictionary<string, string> { [TableFeatures.AppendOnlyProperty] = "true" });
        await table.WriteAsync(Ids, [Batch(Ids, [[1, "a"]])]);
        var snapshot = await table.GetSnapshotAsync();
        var file = snapshot.ActiveFiles.Single();

        var delete = new DeltaTransaction(snapshot, "DELETE").RemoveFile(file.ToRemove(1));
        var e = await Assert.ThrowsAsync<DeltaWriteRefusedException>(() => table.Log.CommitAsync(delete));
        Assert.Contains("delta.appendOnly", e.Message, StringComparison.Ordinal);

        // The protocol lets an append-only table be rearranged (dataChange=false), as OPTIMIZE does.
        var rewrite = new DeltaTransaction(snapshot, "OPTIMIZE").RemoveFile(file.ToRemove(1, dataChange: false)).AddFile(file with { DataChange = false });
        Assert.Equal(2, await table.Log.CommitAsync(rewrite));
    }

    [Fact]
    public async Task A_check_constraint_refuses_a_violating_append_and_commits_a_satisfying_oneAsync()
    {
        var store = new LocalFileObjectStore(temp.Combine("checked"));
        var table = new DeltaTable(store);
        await table.CreateAsync(Ids, configuration: new Dictionary<string, string> { ["delta.constraints.id_positive"] = "id > 0" });
        Assert.Equal(new ProtocolAction(1, 3), (await table.GetSnapshotAsync()).Protocol);

        var e = await Assert.ThrowsAsync<DeltaWriteRefusedException>(() => table.WriteAsync(Ids, [Batch(Ids, [[4, "ok"], [0, "bad"]])]));
        Assert.Contains("id_positive", e.Message, StringComparison.Ordinal);
        Assert.Contains("id > 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 1 of the batch written (id = 0)", e.Message, StringComparison.Ordinal);

        // NULL fails too, as in Delta (CheckDeltaInvariant) and the protocol's invariants.
        var nullRow = await Assert.ThrowsAsync<DeltaWriteRefusedException>(() => table.WriteAsync(Ids, [Batch(Ids, [[null, "null id"]])]));
        Assert.Contains("(id = NULL)", nullRow.Message, StringComparison.Ordinal);

        Assert.Equal(0, (await new DeltaTable(store).GetSnapshotAsync()).Version);
        Assert.False(Directory.EnumerateFiles(store.Root, "*.parquet", SearchOption.AllDirectories).Any(), "a refused write left a data file");

        Assert.Equal(1, await table.WriteAsync(Ids, [Batch(Ids, [[4, "ok"], [5, "fine"]])]));
        Assert.Equal(Canonical([[4, "ok"], [5, "fine"]]), Canonical(await ReadAllAsync(table)));
    }

    [Fact]
    public async Task A_column_invariant_is_enforced_like_a_check_constraintAsync()
    {
        var schema = new StructType([
            new StructField("id", IntegerType.Instance, metadata: new Dictionary<string, string> { ["delta.invariants"] = """{"expression":{"expression":"id < 10"}}""" }),
            new StructField("name", StringType.Instance),
        ]);
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("invariant")));
        await table.CreateAsync(schema);

        var e = await Assert.ThrowsAsync<DeltaWriteRefusedException>(() => table.WriteAsync(schema, [Batch(schema, [[12, "big"]])]));

        Assert.Contains("id < 10", e.Message, StringComparison.Ordinal);
        Assert.Contains("(id = 12)", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await table.WriteAsync(schema, [Batch(schema, [[9, "small"]])]));
    }

    [Fact]
    public async Task Domain_metadata_survives_log_replay_and_a_checkpointAsync()
    {
        var folder = LogOnlyTable(
            """{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["domainMetadata"]}}""",
            extraLines: """
                {"domainMetadata":{"domain":"app.kept","configuration":"{\"k\":1}","removed":false}}
                {"domainMetadata":{"domain":"app.gone","configuration":"{}","removed":false}}
                """);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        await table.WriteAsync(Ids, [Batch(Ids, [[1, "a"]])]);
        File.WriteAllText(
            Path.Combine(folder, "_delta_log", "00000000000000000002.json"),
            """{"domainMetadata":{"domain":"app.gone","configuration":"{}","removed":true}}""" + "\n");
        await table.Log.CheckpointAsync();

        // A fresh log reads the checkpoint of version 2.
        var snapshot = await new DeltaLog(new LocalFileObjectStore(folder)).GetSnapshotAsync();

        Assert.Equal(2, snapshot.Version);
        Assert.Equal(["app.kept"], snapshot.DomainMetadata.Keys);
        Assert.Equal("""{"k":1}""", snapshot.DomainMetadata["app.kept"].Configuration);
        Assert.Equal(new ProtocolAction(1, 7, null, ["domainMetadata"]), snapshot.Protocol);
    }

    [Fact]
    public async Task A_table_we_write_with_timestamp_ntz_has_the_feature_and_DuckDB_reads_itAsync()
    {
        var schema = DdlParser.ParseSchema("id INT, ts TIMESTAMP_NTZ");
        var store = new LocalFileObjectStore(temp.Combine("ntz"));
        var table = new DeltaTable(store);
        object?[][] rows = [[1, 1637202600123456L], [2, 1373043660123456L], [3, null]];

        await table.WriteAsync(schema, [Batch(schema, rows)]);

        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(new ProtocolAction(3, 7, ["timestampNtz"], ["appendOnly", "invariants", "timestampNtz"]), snapshot.Protocol);
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(table)));
        Tables.DuckDbTableCheck.AssertRows(store.Root, rows, schema, []);
    }

    /// <summary>A table of <see cref="Ids"/> whose version 0 holds <paramref name="protocolLine"/>: what a feature check sees.</summary>
    private string LogOnlyTable(string protocolLine, string configuration = "", string extraLines = "", string? schemaString = null)
    {
        var folder = temp.Combine($"t{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "_delta_log"));
        schemaString = System.Text.Json.JsonSerializer.Serialize(schemaString ?? SchemaJson.Serialize(Ids));
        var metadata = """{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":""" + schemaString
            + ""","partitionColumns":[],"configuration":{""" + configuration + "}}}";
        File.WriteAllText(Path.Combine(folder, "_delta_log", "00000000000000000000.json"), $"{protocolLine}\n{metadata}\n{(extraLines.Length == 0 ? string.Empty : extraLines + "\n")}");
        return folder;
    }
}
