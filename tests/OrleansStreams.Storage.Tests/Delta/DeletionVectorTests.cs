using System.Buffers.Binary;
using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Delta.DeletionVectors;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>Deletion vectors: the descriptor through commits and checkpoints, the DV decoder, and the rows readers drop.</summary>
public sealed class DeletionVectorTests : IDisposable
{
    private const string Partitioned = "dv-partitioned-with-checkpoint";
    private const string KeyCases = "log-replay-dv-key-cases";

    private readonly TempDirectory temp = new("delta-dv");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(Partitioned)]
    [InlineData(KeyCases)]
    public async Task Every_golden_DV_file_decodes_to_its_descriptor_cardinalityAsync(string table)
    {
        var folder = Path.Combine(TestData.DeltaTables, table);
        var dvStore = new DeletionVectorStore(new LocalFileObjectStore(folder));
        var descriptors = Directory.GetFiles(Path.Combine(folder, "_delta_log"), "*.json")
            .SelectMany(f => DeltaActionJson.ParseCommit(File.ReadAllBytes(f), f))
            .Select(a => a switch { AddFile add => add.DeletionVector, RemoveFile remove => remove.DeletionVector, _ => null })
            .OfType<DeletionVectorDescriptor>()
            .Distinct()
            .ToList();

        Assert.NotEmpty(descriptors);
        foreach (var dv in descriptors)
        {
            // Decode straight from the file's framing (version byte, size, bitmap, checksum), not through the store.
            var file = await File.ReadAllBytesAsync(Path.Combine(folder, dvStore.FileKey(dv, table)));
            Assert.Equal(1, file[0]);
            var size = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(dv.Offset!.Value));
            Assert.Equal(dv.SizeInBytes, size);
            var rows = RoaringBitmapArray.Decode(file.AsSpan(dv.Offset.Value + 4, size));
            Assert.Equal(dv.Cardinality, rows.LongLength);
        }
    }

    [Fact]
    public async Task DuckDB_finds_the_rows_Spark_deleted_at_the_row_indexes_our_DVs_decode_toAsync()
    {
        // DuckDB's parquet reader numbers each file's rows on its own: the rows at our DVs' indexes must be exactly
        // the rows the DELETEs matched (even col1 below 30), file by file.
        var folder = Path.Combine(TestData.DeltaTables, Partitioned);
        var snapshot = await new DeltaLog(new LocalFileObjectStore(folder)).GetSnapshotAsync();
        var dvStore = new DeletionVectorStore(new LocalFileObjectStore(folder));
        var withDvs = 0;
        foreach (var file in snapshot.ActiveFiles)
        {
            var deleted = file.DeletionVector is { } dv ? (await dvStore.LoadAsync(dv, file.Path, folder, default)).ToHashSet() : [];
            withDvs += deleted.Count > 0 ? 1 : 0;
            var rows = DuckDbQuery.Rows(
                $"SELECT file_row_number AS n, col1 FROM read_parquet({DuckDbQuery.Quote(Path.Combine(folder, DeltaPath.FromLogPath(file.Path)))}, file_row_number = true)");

            Assert.All(rows, r =>
            {
                var col1 = (int)r["col1"]!;
                Assert.Equal(col1 % 2 == 0 && col1 < 30, deleted.Contains((long)r["n"]!));
            });
        }

        Assert.True(withDvs > 0);
    }

    [Fact]
    public async Task The_last_DV_of_the_key_cases_table_deletes_rows_0_7_and_14Async()
    {
        var folder = Path.Combine(TestData.DeltaTables, KeyCases);
        var snapshot = await new DeltaLog(new LocalFileObjectStore(folder)).GetSnapshotAsync();

        // Three commits each removed (path, old DV) and added (path, new DV): one logical file is left.
        var file = Assert.Single(snapshot.ActiveFiles);
        Assert.Equal(3, file.DeletionVector!.Cardinality);
        var rows = await new DeletionVectorStore(new LocalFileObjectStore(folder)).LoadAsync(file.DeletionVector, file.Path, folder, default);
        Assert.Equal([0L, 7L, 14L], rows);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_commit_replacing_a_files_DV_leaves_only_the_new_one_live_whatever_the_action_orderAsync(bool removeFirst)
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        var plain = DeltaTestTables.File("a.parquet");
        var dvA = new DeletionVectorDescriptor("u", "ab^-aqEH.-t@S}K{vb[*k^", 1, 34, 1);
        var dvB = dvA with { Offset = 43, Cardinality = 2 };
        await log.CommitAsync(DeltaTransaction.Append([plain]));
        DeltaAction[] first = [plain.ToRemove(1), plain with { DeletionVector = dvA }];
        DeltaAction[] second = [(plain with { DeletionVector = dvA }).ToRemove(2), plain with { DeletionVector = dvB }];
        await store.WriteAsync(DeltaLogFiles.CommitKey(2), DeltaActionJson.SerializeCommit(removeFirst ? first : first.Reverse()));
        await store.WriteAsync(DeltaLogFiles.CommitKey(3), DeltaActionJson.SerializeCommit(removeFirst ? second : second.Reverse()));

        var snapshot = await new DeltaLog(store).GetSnapshotAsync();

        Assert.Equal(dvB, Assert.Single(snapshot.ActiveFiles).DeletionVector);
        Assert.Equal(2, snapshot.Tombstones.Count); // (a, none) and (a, dvA): different logical files
    }

    [Fact]
    public async Task An_inline_DV_decodes_from_Z85_cut_to_its_sizeAsync()
    {
        // Z85 carries whole 4-byte groups: pad the bitmap so the decoded bytes must be cut back to sizeInBytes.
        long[] expected = [3, 4, 7, 11, 18, 29];
        var bitmap = RoaringTestWriter.Serialize(expected, useRuns: false);
        var padded = bitmap.Concat(new byte[4 - (bitmap.Length % 4)]).ToArray();
        var dv = new DeletionVectorDescriptor("i", Z85Encode(padded), null, bitmap.Length, expected.Length);

        var rows = await new DeletionVectorStore(new InMemoryObjectStore()).LoadAsync(dv, "f.parquet", "t", default);

        Assert.Equal(expected, rows);
        Assert.Equal("i" + dv.PathOrInlineDv, dv.UniqueId);
    }

    [Fact]
    public async Task The_protocol_inline_example_is_refused_as_Spark_refuses_itAsync()
    {
        // PROTOCOL.md's "JSON Example 3" carries the magic number big-endian (delta-io/delta#1905); Spark fails on it too.
        var dv = new DeletionVectorDescriptor("i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 6);

        var e = await Assert.ThrowsAsync<DeltaLogException>(() => new DeletionVectorStore(new InMemoryObjectStore()).LoadAsync(dv, "f.parquet", "t", default));

        Assert.Contains("magic number -791463580", e.Message, StringComparison.Ordinal);
        Assert.Contains("f.parquet", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Array_bitmap_and_run_containers_across_buckets_decode_in_order(bool useRuns)
    {
        // Bucket 0: a sparse container (array), a dense one (bitmap: > 4096 values) and a long range; bucket 3: two values.
        long[] expected =
        [
            1, 5, 65_535,
            .. Enumerable.Range(0, 6000).Select(i => 65_536L + (i * 3)),
            .. Enumerable.Range(10, 20_000).Select(i => (2L << 16) + i),
            (3L << 32) + 7, (3L << 32) + 70_000,
        ];

        var rows = RoaringBitmapArray.Decode(RoaringTestWriter.Serialize(expected, useRuns));

        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task A_corrupt_DV_fails_the_read_naming_the_DV_file_and_the_data_fileAsync()
    {
        var folder = temp.Combine("corrupt");
        TestData.CopyDeltaTable(KeyCases, folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var file = (await table.GetSnapshotAsync()).ActiveFiles.Single();
        var dvKey = new DeletionVectorStore(table.Store).FileKey(file.DeletionVector!, folder);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, dvKey));
        bytes[file.DeletionVector!.Offset!.Value + 4 + 10] ^= 0xFF; // inside the bitmap: only the checksum can tell
        await File.WriteAllBytesAsync(Path.Combine(folder, dvKey), bytes);

        var e = await Assert.ThrowsAsync<DeltaLogException>(() => ReadAllAsync(table));

        Assert.Contains(dvKey, e.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_DV_by_absolute_path_must_lie_inside_the_table()
    {
        var folder = temp.Combine("absolute");
        var store = new DeletionVectorStore(new LocalFileObjectStore(folder));

        Assert.Equal("dv/x.bin", store.FileKey(new DeletionVectorDescriptor("p", new Uri(Path.Combine(folder, "dv", "x.bin")).AbsoluteUri, 1, 10, 1), "t"));
        var e = Assert.Throws<NotSupportedException>(() => store.FileKey(new DeletionVectorDescriptor("p", "file:///elsewhere/x.bin", 1, 10, 1), "t"));
        Assert.Contains("file:///elsewhere/x.bin", e.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => store.FileKey(new DeletionVectorDescriptor("p", "s3://bucket/x.bin", 1, 10, 1), "t"));
    }

    [Fact]
    public void A_UUID_relative_DV_with_a_random_prefix_lives_in_the_prefix_folder()
    {
        // PROTOCOL.md, "JSON Example 1".
        var dv = new DeletionVectorDescriptor("u", "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6);

        Assert.Equal("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", new DeletionVectorStore(new InMemoryObjectStore()).FileKey(dv, "t"));
    }

    [Fact]
    public async Task Time_travel_sees_each_deleted_row_until_the_commit_that_deletes_itAsync()
    {
        // DELETE col1 = 2n at version n + 1 (n = 0..14); versions from 10 on start from Spark's checkpoint.
        var table = new DeltaTable(new LocalFileObjectStore(Path.Combine(TestData.DeltaTables, Partitioned)));
        for (var version = 0; version <= 15; version++)
        {
            var col1 = (await ReadAllAsync(table, version, ["col1"])).Select(r => (int)r[0]!).ToHashSet();

            Assert.Equal(50 - version, col1.Count);
            Assert.Equal(Enumerable.Range(0, 50).Where(x => x % 2 != 0 || x >= 2 * version), col1.Order());
        }
    }

    [Fact]
    public async Task A_snapshot_read_skips_deleted_rows_across_parquet_row_groupsAsync()
    {
        var folder = temp.Combine("row-groups");
        var schema = DdlParser.ParseSchema("id BIGINT, name STRING");
        var table = await DvTableAsync(folder, schema);
        await table.WriteAsync(schema, [Batch(schema, [.. Enumerable.Range(0, 20_000).Select(i => new object?[] { (long)i, $"n{i}" })])], new DeltaWriteOptions { RowGroupSize = 3000 });
        long[] deleted = [0, 1, 2999, 3000, 3001, .. Enumerable.Range(5000, 6000).Select(i => (long)i), 19_999];
        await AddDvAsync(table, deleted, useRuns: false);

        var ids = (await ReadAllAsync(table)).Select(r => (long)r[0]!).ToList();

        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i).Except(deleted), ids.Order());
        Assert.Equal(20_000 - deleted.Length, ids.Count);
        Assert.Equal(20_000, (await ReadAllAsync(table, version: 1)).Count); // before the DV
    }

    [Fact]
    public void A_descriptor_round_trips_through_a_JSON_commit()
    {
        var dv = new DeletionVectorDescriptor("u", "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6, MaxRowIndex: 29);
        var add = new AddFile("a.parquet", new Dictionary<string, string?>(), 10, 1, Stats: """{"numRecords":30}""", DeletionVector: dv);
        DeltaAction[] actions = [add, add.ToRemove(5)];

        var text = DeltaActionJson.SerializeCommit(actions);
        var parsed = DeltaActionJson.ParseCommit(text, "commit");

        Assert.Equal(dv, ((AddFile)parsed[0]).DeletionVector);
        Assert.Equal(dv, ((RemoveFile)parsed[1]).DeletionVector);
        Assert.Equal(Encoding.UTF8.GetString(text), Encoding.UTF8.GetString(DeltaActionJson.SerializeCommit(parsed)));
        Assert.Contains("\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K{vb[*k^\",\"offset\":4,\"sizeInBytes\":40,\"cardinality\":6,\"maxRowIndex\":29}", Encoding.UTF8.GetString(text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_checkpoint_of_a_DV_table_keeps_every_DV_and_the_same_rowsAsync()
    {
        var folder = temp.Combine("our-checkpoint");
        TestData.CopyDeltaTable(Partitioned, folder);
        var original = await new DeltaLog(new LocalFileObjectStore(folder)).GetSnapshotAsync();

        await new DeltaLog(new LocalFileObjectStore(folder)).CheckpointAsync(15);
        var reread = await new DeltaLog(new LocalFileObjectStore(folder)).GetSnapshotAsync();

        Assert.True(File.Exists(Path.Combine(folder, DeltaLogFiles.CheckpointKey(15))));
        Assert.Equal(DvsByPath(original), DvsByPath(reread));
        Assert.Equal(35, (await ReadAllAsync(new DeltaTable(new LocalFileObjectStore(folder)))).Count);
    }

    [Fact]
    public async Task An_append_keeps_the_DVs_of_the_files_it_does_not_touchAsync()
    {
        var folder = temp.Combine("append");
        TestData.CopyDeltaTable(Partitioned, folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var before = DvsByPath(await table.GetSnapshotAsync());
        var schema = DdlParser.ParseSchema("part INT, col1 INT, col2 STRING");

        await table.WriteAsync(schema, [Batch(schema, [[1, 100, "new"]])], new DeltaWriteOptions { PartitionBy = ["part"] });

        var after = DvsByPath(await table.GetSnapshotAsync());
        Assert.Equal(before.Count + 1, after.Count);
        Assert.All(before, b => Assert.Equal(b.Value, after[b.Key]));
        Assert.Equal(36, (await ReadAllAsync(table)).Count);
    }

    [Fact]
    public async Task An_overwrite_removes_each_file_with_its_DVAsync()
    {
        var folder = temp.Combine("overwrite");
        TestData.CopyDeltaTable(Partitioned, folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var before = await table.GetSnapshotAsync();
        var schema = DdlParser.ParseSchema("part INT, col1 INT, col2 STRING");

        var version = await table.WriteAsync(schema, [Batch(schema, [[1, 100, "new"]])], new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite, PartitionBy = ["part"] });

        var commit = DeltaActionJson.ParseCommit(await File.ReadAllBytesAsync(Path.Combine(folder, DeltaLogFiles.CommitKey(version!.Value))), "commit");
        var removed = commit.OfType<RemoveFile>().ToDictionary(r => r.Path, r => r.DeletionVector);
        Assert.Equal(DvsByPath(before), removed);
        Assert.Equal([[1, 100, "new"]], await ReadAllAsync(new DeltaTable(new LocalFileObjectStore(folder))));
    }

    private static Dictionary<string, DeletionVectorDescriptor?> DvsByPath(DeltaSnapshot snapshot) =>
        snapshot.ActiveFiles.ToDictionary(f => f.Path, f => f.DeletionVector);

    /// <summary>An empty table of <paramref name="schema"/> with the deletionVectors feature (reader 3 / writer 7).</summary>
    private static async Task<DeltaTable> DvTableAsync(string folder, StructType schema)
    {
        var log = new DeltaLog(new LocalFileObjectStore(folder));
        await log.CreateTableAsync(
            MetadataAction.Create(SchemaJson.Serialize(schema), configuration: new Dictionary<string, string> { ["delta.enableDeletionVectors"] = "true" }),
            protocol: new ProtocolAction(3, 7, [TableFeatures.DeletionVectors], [TableFeatures.DeletionVectors]));
        return new DeltaTable(log.Store);
    }

    /// <summary>Commits what Spark's DELETE with DVs commits: the table's one file removed and added again with a DV of <paramref name="rows"/>.</summary>
    private static async Task AddDvAsync(DeltaTable table, long[] rows, bool useRuns)
    {
        var (file, offset) = RoaringTestWriter.AsDvFile(RoaringTestWriter.Serialize(rows, useRuns));
        var uuid = Guid.NewGuid();
        await table.Store.WriteAsync($"deletion_vector_{uuid:D}.bin", file);
        var snapshot = await table.GetSnapshotAsync();
        var data = snapshot.ActiveFiles.Single();
        var dv = new DeletionVectorDescriptor("u", Z85Encode(uuid.ToByteArray(bigEndian: true)), offset, file.Length - 9, rows.Length);
        await table.Log.CommitAsync(new DeltaTransaction(snapshot, "DELETE")
            .RemoveFile(data.ToRemove(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            .AddFile(data with { DeletionVector = dv }));
    }

    private static string Z85Encode(byte[] bytes)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
        var text = new StringBuilder();
        for (var i = 0; i < bytes.Length; i += 4)
        {
            var value = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(i));
            var chunk = new char[5];
            for (var k = 4; k >= 0; k--)
            {
                chunk[k] = alphabet[(int)(value % 85)];
                value /= 85;
            }

            text.Append(chunk);
        }

        return text.ToString();
    }
}
