using OrleansStreams.Bookstore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>The README's Azurite configuration: the warehouse (tables, checkpoints, grain state) in Blob storage through a connection string.</summary>
public sealed class AzuriteWarehouseTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory folder = new("cli-azurite");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Run_and_sql_work_on_a_warehouse_in_AzuriteAsync()
    {
        var options = new BookstoreOptions { OrdersPerDrop = 100 };
        BookstoreFiles.Write(folder.Combine("bookstore"), new BookstoreGenerator(options).Drop(0), options);
        var cli = new CliProcess(folder.Path)
            .With("AZURE_STORAGE_CONNECTION_STRING", azurite.ConnectionString)
            .With("OrleansStreams__Warehouse", $"abfss://lake@{AzuriteFixture.AccountName}.dfs.core.windows.net/warehouse");

        var run = await cli.RunAsync("run", Path.Combine(RepoRoot.Find(), "examples", "bookstore-pipeline.sql"));
        var counted = await cli.RunAsync("sql", "SELECT sum(total_books) AS n FROM author_counts_gold", "--format", "json");
        var tables = await cli.RunAsync("tables");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((long)options.BooksPerDrop, (long)counted.JsonRows()[0]["n"]!);
        Assert.Contains("abfss://lake@", tables.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("warehouse")));
    }
}
