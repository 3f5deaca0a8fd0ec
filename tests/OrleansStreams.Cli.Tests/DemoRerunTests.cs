using OrleansStreams.Bookstore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// The README's demo run three times in a row on the same folders, each run a new process that adds drops: the
/// checkpoints carry every pipeline over, so author_counts (complete mode, aggregated on grains) holds one row per
/// author whose count is that of every books file so far, as DuckDB counts them on its own.
/// </summary>
public sealed class DemoRerunTests : IDisposable
{
    private readonly TempDirectory folder = new("cli-demo-rerun");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Three_demo_processes_leave_one_author_counts_row_per_author_with_every_book_countedAsync()
    {
        var cli = new CliProcess(folder.Path).With("OrleansStreams__Demo__ProcessingTime", "1 second");
        for (var run = 1; run <= 3; run++)
        {
            var result = await cli.RunAsync("demo");
            Assert.True(result.ExitCode == 0, $"demo run {run}: {result}");
        }

        var books = Path.Combine(folder.Path, "bookstore", BookstoreFiles.Books);
        var expected = DuckDbQuery.Rows($"SELECT author, count(*) AS n FROM read_json({DuckDbQuery.Quote(books + "/*.json")}) GROUP BY author")
            .Select(r => $"{r!["author"]}={r["n"]}").Order(StringComparer.Ordinal).ToList();
        var counts = DuckDbDelta.ReadRows(Path.Combine(folder.Path, "warehouse", "author_counts"))
            .Select(r => (Author: r!["author"]!.GetValue<string>(), Count: r["total_books"]!.ToString())).ToList();

        var repeated = counts.GroupBy(c => c.Author).Where(g => g.Count() > 1).Select(g => $"{g.Key} ({string.Join(", ", g.Select(c => c.Count))})").ToList();
        Assert.True(repeated.Count == 0, $"author_counts holds {counts.Count} rows for {counts.DistinctBy(c => c.Author).Count()} authors; repeated: {string.Join("; ", repeated)}");
        Assert.Equal(expected, counts.Select(c => $"{c.Author}={c.Count}").Order(StringComparer.Ordinal));
    }
}
