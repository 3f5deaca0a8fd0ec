using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>A Spark table with deletion vectors in the warehouse: SQL and describe count only the rows the DVs leave.</summary>
public sealed class DeletionVectorTableTests : IDisposable
{
    private readonly TempDirectory folder = new("cli-dv");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Sql_and_describe_of_a_table_with_deletion_vectors_count_the_live_rowsAsync()
    {
        // 50 rows written, 15 deleted through DVs (numRecords in the stats still says 50).
        var warehouse = folder.Combine("warehouse");
        TestData.CopyDeltaTable("dv-partitioned-with-checkpoint", Path.Combine(warehouse, "dv_table"));
        await new DeltaCatalog(new LocalFileObjectStore(warehouse)).CreateAsync("dv_table");
        var cli = new CliProcess(folder.Path);

        var sql = await cli.RunAsync("sql", "SELECT count(*) AS n, sum(col1) AS s FROM dv_table", "--format", "json");
        var describe = await cli.RunAsync("describe", "dv_table");

        Assert.True(sql.ExitCode == 0, sql.ToString());
        Assert.Equal(35, (long)sql.JsonRows()[0]["n"]!);
        Assert.Equal(Enumerable.Range(0, 50).Where(x => x % 2 != 0 || x >= 30).Sum(), (long)sql.JsonRows()[0]["s"]!);
        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Matches(@"rows\s+35\b", describe.Output);
    }
}
