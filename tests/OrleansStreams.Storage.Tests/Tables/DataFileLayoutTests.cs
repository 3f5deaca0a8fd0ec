using System.Globalization;
using Apache.Arrow;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>
/// How a streamed write lays out its files: they roll at the table's delta.targetFileSize or at maxRecordsPerFile, small
/// input batches are gathered into full row groups, and the writer's buffers stay within their budget however many
/// partitions there are. DuckDB reads every file.
/// </summary>
public sealed class DataFileLayoutTests : IDisposable
{
    private const int Rows = 60_000;

    private readonly TempDirectory temp = new("data-file-layout");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Files_roll_at_the_tables_target_file_sizeAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("t")));
        await table.CreateAsync(TableTestData.Bronze, ["topic"], new Dictionary<string, string> { [DataFileLayout.TargetFileSizeProperty] = "128k" });

        await table.WriteAsync(TableTestData.Bronze, InputAsync(1_000), new DeltaWriteOptions { RowGroupSize = 4_000 });

        var files = (await table.GetSnapshotAsync()).ActiveFiles;
        foreach (var partition in files.GroupBy(f => f.PartitionValues["topic"]))
        {
            var sizes = partition.Select(f => f.Size).Order().ToList();
            Assert.True(sizes.Count > 1, $"{partition.Key}: one file of {sizes[0]} bytes; expected files of about 128 KB");
            Assert.All(sizes.Skip(1), size => Assert.True(size >= 128 << 10, $"{partition.Key}: a file closed at {size} bytes, below the target"));
        }

        AssertEveryRowOnce(table);
    }

    [Fact]
    public async Task Max_records_per_file_caps_every_fileAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("t")));

        await table.WriteAsync(TableTestData.Bronze, InputAsync(1_000), new DeltaWriteOptions { PartitionBy = ["topic"], MaxRecordsPerFile = 7_000 });

        var perFile = DuckDbQuery.Rows($"SELECT filename, count(*) AS n FROM read_parquet([{string.Join(", ", Files(table))}], filename = true) GROUP BY filename");
        Assert.All(perFile, f => Assert.True(f["n"]!.GetValue<long>() <= 7_000, $"{f["filename"]} holds {f["n"]} rows"));
        Assert.True(perFile.Count >= Rows / 7_000);
        AssertEveryRowOnce(table);
    }

    [Fact]
    public async Task Small_input_batches_are_gathered_into_full_row_groupsAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("t")));

        await table.WriteAsync(TableTestData.Bronze, InputAsync(500), new DeltaWriteOptions { RowGroupSize = 10_000 });

        var file = Assert.Single(Files(table));
        var groups = DuckDbQuery.Rows($"SELECT DISTINCT row_group_id, row_group_num_rows AS n FROM parquet_metadata({file}) ORDER BY row_group_id");
        Assert.Equal(Enumerable.Repeat(10_000L, Rows / 10_000), groups.Select(g => g["n"]!.GetValue<long>()));
        AssertEveryRowOnce(table);
    }

    [Fact]
    public async Task The_buffers_and_open_files_stay_within_their_limits_however_many_partitionsAsync()
    {
        var layout = new DataFileLayout { BufferBytes = 256 << 10, RowGroupBytes = 64 << 10, MaxOpenFiles = 16 };
        await using var writer = new PartitionedFileWriter(new LocalFileObjectStore(temp.Combine("t")), TableTestData.Bronze, ["offset"], layout);
        var peak = 0L;
        await foreach (var batch in InputAsync(500, rows: 3_000))
        {
            await writer.AddAsync(batch, CancellationToken.None); // a partition per row: 3,000 partitions, more than the open files allowed (and the usual 1,024 file handles)
            peak = Math.Max(peak, writer.BufferedBytes);
        }

        var files = await writer.FinishAsync(CancellationToken.None);

        Assert.True(peak <= layout.BufferBytes, $"{peak} bytes buffered, over the budget of {layout.BufferBytes}");
        Assert.Equal(3_000, files.Count); // each partition's single row went out in a file of its own
        Assert.Equal(3_000, files.Sum(f => long.Parse(System.Text.Json.Nodes.JsonNode.Parse(f.Stats!)!["numRecords"]!.ToString(), CultureInfo.InvariantCulture)));
    }

    /// <summary>The bronze rows with offsets 0 … <paramref name="rows"/> − 1 in batches of <paramref name="batchRows"/>.</summary>
    private static async IAsyncEnumerable<RecordBatch> InputAsync(int batchRows, int rows = Rows)
    {
        await Task.CompletedTask;
        for (var from = 0; from < rows; from += batchRows)
        {
            yield return TableTestData.BronzeRows(from, batchRows);
        }
    }

    private static List<string> Files(DeltaTable table) =>
        [.. DuckDbDelta.LiveFiles(table.Store.Root).Select(f => DuckDbQuery.Quote(Path.Combine(table.Store.Root, f)))];

    private static void AssertEveryRowOnce(DeltaTable table)
    {
        Assert.Equal(((long)Rows, (long)Rows, (long)Rows * (Rows - 1) / 2), DuckDbDelta.Totals(table.Store.Root, "offset"));
    }
}
