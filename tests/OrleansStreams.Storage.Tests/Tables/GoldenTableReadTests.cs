using System.Text.Json.Nodes;
using Apache.Arrow;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Our reader returns exactly the rows of the Delta tables Apache Spark wrote (tests/TestData/delta, expected.json).</summary>
public sealed class GoldenTableReadTests
{
    public static TheoryData<string> TablesWithRows()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(TestData.DeltaTables).Order(StringComparer.Ordinal))
        {
            var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))!;
            if (expected["rows"] is JsonArray)
            {
                data.Add(Path.GetFileName(folder));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TablesWithRows))]
    public async Task Spark_written_table_reads_with_the_expected_rowsAsync(string name)
    {
        var folder = Path.Combine(TestData.DeltaTables, name);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "expected.json")))!;
        var table = new DeltaTable(new LocalFileObjectStore(folder));

        var snapshot = await table.GetSnapshotAsync();
        var batches = new List<RecordBatch>();
        await foreach (var batch in table.ReadAsync(snapshot))
        {
            batches.Add(batch);
        }

        var rows = RowJson.Render(batches).Cast<JsonNode?>().ToList();
        Assert.Equal(expected["rowCount"]!.GetValue<int>(), rows.Count);
        JsonRows.AssertSameRows(expected["rows"]!.AsArray().ToList(), rows, name);
    }

    [Fact]
    public async Task Time_travel_reads_each_version_of_a_Spark_tableAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(Path.Combine(TestData.DeltaTables, "time-travel-start-start20-start40")));

        var counts = new List<int>();
        for (var version = 0; version <= 2; version++)
        {
            var total = 0;
            await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(version)))
            {
                total += batch.Length;
            }

            counts.Add(total);
        }

        Assert.Equal([10, 20, 30], counts);
    }
}
