using System.Text.Json.Nodes;
using OrleansStreams.CrossProcess.TestHost;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A table partitioned by a string, a date, a double and a timestamp, written by a process whose culture has a decimal
/// comma (de-DE): its partition folders and the partition values in its log must be the culture-free text any process
/// (and Spark, delta-rs, DuckDB) writes and reads, so this process and DuckDB read back exactly the rows written.
/// </summary>
public sealed class PartitionFoldersAcrossCulturesTests : IDisposable
{
    private static readonly PartitionedRow[] Rows =
    [
        new(1, "plain", new DateOnly(2024, 2, 29), 1.5, new DateTimeOffset(2024, 2, 29, 13, 45, 6, TimeSpan.Zero).AddTicks(1234560)),
        new(2, "Straße/ü", new DateOnly(1969, 12, 31), -0.25, new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddMilliseconds(500)),
        new(3, "a=b%c:d", new DateOnly(2024, 2, 29), 1e-7, new DateTimeOffset(2024, 2, 29, 13, 45, 6, TimeSpan.Zero).AddTicks(1234560)),
        new(4, "İı i", new DateOnly(2000, 1, 1), 12345.678, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        new(5, null, new DateOnly(2024, 2, 29), 1e20, new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero)),
        new(6, "plain", new DateOnly(2024, 2, 29), 1.5, new DateTimeOffset(2024, 2, 29, 13, 45, 6, TimeSpan.Zero).AddTicks(1234560)),
    ];

    private readonly TempDirectory temp = new("partition-folders");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_table_written_under_de_DE_has_culture_free_partition_folders_and_reads_back_here_and_in_DuckDBAsync()
    {
        PartitionedRow.Write(temp.Combine("input", "rows.json"), Rows);
        await CrossProcessHost.RunAsync("de-DE", "ingest", temp.Combine("input"), temp.Combine("warehouse"), temp.Combine("checkpoint"), temp.Combine("table"));

        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("table")));
        var snapshot = await table.GetSnapshotAsync();
        var schema = DdlParser.ParseSchema(PartitionedIngest.Schema);
        var columns = PartitionedIngest.PartitionColumns;
        var expectedFolders = Rows.Select(r => PartitionPath.Build(columns, PartitionValuesOf(r, schema))).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expectedFolders, snapshot.ActiveFiles.Select(FolderOf).Order(StringComparer.Ordinal));
        Assert.All(snapshot.ActiveFiles, f => Assert.Equal(FolderOf(f), PartitionPath.Build(columns, f.PartitionValues)));

        var expected = Rows.Select(Expected).ToList();
        var ours = new List<Apache.Arrow.RecordBatch>();
        await foreach (var batch in table.ReadAsync(snapshot))
        {
            ours.Add(batch);
        }

        JsonRows.AssertSameRows(expected, [.. RowJson.Render(ours)], "our reader");
        var duckTypes = new Dictionary<string, string> { ["name"] = "VARCHAR", ["day"] = "DATE", ["score"] = "DOUBLE", ["at"] = "TIMESTAMPTZ" };
        JsonRows.AssertSameRows(expected, DuckDbDelta.ReadRows(temp.Combine("table"), duckTypes), "DuckDB");
    }

    private static string FolderOf(AddFile file)
    {
        var key = DeltaPath.FromLogPath(file.Path);
        return key[..key.LastIndexOf('/')];
    }

    /// <summary>The partition values of a row as the invariant formatting of this process gives them.</summary>
    private static Dictionary<string, string?> PartitionValuesOf(PartitionedRow row, StructType schema)
    {
        object?[] scalars = [row.Name, row.Day.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber, row.Score, (row.At - DateTimeOffset.UnixEpoch).Ticks / 10];
        return PartitionedIngest.PartitionColumns.Select((c, i) => (c, PartitionValues.Format(scalars[i], schema.Get(c).Type))).ToDictionary(p => p.c, p => p.Item2);
    }

    /// <summary>A row as DuckDB's to_json renders it.</summary>
    private static JsonNode Expected(PartitionedRow row) => new JsonObject
    {
        ["id"] = row.Id,
        ["name"] = row.Name,
        ["day"] = row.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["score"] = row.Score,
        ["at"] = row.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture) + "+00",
    };
}
