using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansStreams.Bookstore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary><c>run PIPELINE.sql</c> on the README's pipeline file (examples/bookstore-pipeline.sql) over generated drops.</summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly BookstoreOptions Options = new() { OrdersPerDrop = 200 };

    private readonly TempDirectory folder = new("cli-run");

    public void Dispose() => folder.Dispose();

    private CliProcess Cli => new(folder.Path);

    private static string Pipeline => Path.Combine(RepoRoot.Find(), "examples", "bookstore-pipeline.sql");

    private void Drop(int index) => BookstoreFiles.Write(folder.Combine("bookstore"), new BookstoreGenerator(Options).Drop(index), Options);

    private async Task<(long Messages, long Distinct, long Books, long Counted, long Versions)> TablesAsync()
    {
        var result = await Cli.RunAsync("sql", "SELECT count(*) AS n FROM kafka_bronze; SELECT count(*) AS d FROM (SELECT DISTINCT topic, partition, offset FROM kafka_bronze); SELECT count(*) AS n FROM books_silver; SELECT sum(total_books) AS n FROM author_counts_gold", "--format", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = result.JsonRows();
        var versions = Directory.GetFiles(folder.Combine("warehouse", "kafka_bronze", "_delta_log"), "*.json").Length - 1; // commits after the CREATE
        return ((long)rows[0]["n"]!, (long)rows[1]["d"]!, (long)rows[2]["n"]!, (long)rows[3]["n"]!, versions);
    }

    [Fact]
    public async Task Running_twice_writes_nothing_twice_and_a_new_drop_only_adds_its_rowsAsync()
    {
        Drop(0);
        Drop(1);
        var perDrop = Options.BooksPerDrop + Options.CustomersPerDrop + Options.OrdersPerDrop;

        var first = await Cli.RunAsync("run", Pipeline);
        var afterFirst = await TablesAsync();
        var second = await Cli.RunAsync("run", Pipeline);
        var afterSecond = await TablesAsync();
        Drop(2);
        var third = await Cli.RunAsync("run", Pipeline, "--trigger", "once");
        var afterThird = await TablesAsync();

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"kafka_bronze\s+│\s+append\s+│\s+completed", first.Output);
        Assert.Matches(@"author_counts_gold\s+│\s+complete\s+│\s+completed", first.Output);
        Assert.Equal((2L * perDrop, 2L * perDrop, 2L * Options.BooksPerDrop, 2L * Options.BooksPerDrop, 1), afterFirst);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(afterFirst, afterSecond);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal((3L * perDrop, 3L * perDrop, 3L * Options.BooksPerDrop, 3L * Options.BooksPerDrop, 2), afterThird);
        Assert.True(Directory.Exists(folder.Combine("warehouse", "_checkpoints", "kafka_bronze")));
    }

    private async Task<long> CountedBooksAsync()
    {
        var result = await Cli.RunAsync("sql", "SELECT coalesce(sum(total_books), 0) AS n FROM author_counts_gold", "--format", "json");
        return result.ExitCode == 0 ? (long)result.JsonRows()[0]["n"]! : 0; // the table appears with its first batch
    }

    [Fact]
    public async Task A_processing_time_run_goes_on_until_Ctrl_C_and_then_exits_cleanlyAsync()
    {
        Drop(0);
        var process = Cli.Start("run", Pipeline, "--trigger", "processing-time=1s", "--checkpoint-root", folder.Combine("cp"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (!Regex.IsMatch(CliProcess.OutputSoFar(process), @"author_counts_gold\s+batch 0 "))
        {
            if (process.HasExited)
            {
                Assert.Fail($"the run stopped by itself: {await CliProcess.WaitAsync(process, timeout.Token)}");
            }

            await Task.Delay(100, timeout.Token);
        }

        Drop(1); // arrives while the tables run side by side
        while (await CountedBooksAsync() < 2L * Options.BooksPerDrop)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the run stopped by itself: {await CliProcess.WaitAsync(process, timeout.Token)}");
            }

            await Task.Delay(200, timeout.Token);
        }

        CliProcess.Interrupt(process);
        var result = await CliProcess.WaitAsync(process, timeout.Token);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"kafka_bronze\s+│\s+append\s+│\s+stopped", result.Output);
        Assert.True(Directory.Exists(folder.Combine("cp", "author_counts_gold")));
        Assert.Equal(2L * Options.BooksPerDrop, await CountedBooksAsync());
    }

    [Fact]
    public async Task With_ui_the_run_serves_the_streams_pages_and_API_of_its_tables_while_it_runsAsync()
    {
        Drop(0);
        var process = Cli.Start("run", Pipeline, "--trigger", "processing-time=1s", "--checkpoint-root", folder.Combine("cp"), "--ui", "0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Match url;
        while (!(url = Regex.Match(CliProcess.OutputSoFar(process), @"Streams UI: (http://127\.0\.0\.1:\d+/streams)")).Success)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the run stopped by itself: {await CliProcess.WaitAsync(process, timeout.Token)}");
            }

            await Task.Delay(100, timeout.Token);
        }

        var streams = url.Groups[1].Value;
        await Polling.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync($"{streams}/api/queries"))!["queries"]!.AsArray()
                .Any(q => q!["name"]!.GetValue<string>() == "kafka_bronze" && q["state"]!.GetValue<string>() == "running" && q["lastBatchId"] is not null),
            TimeSpan.FromSeconds(90),
            () => $"the UI never showed kafka_bronze running a batch: {CliProcess.OutputSoFar(process)}");
        Assert.Contains("<html", await http.GetStringAsync(streams), StringComparison.Ordinal);
        Assert.Contains("query.js", await http.GetStringAsync($"{streams}/kafka_bronze"), StringComparison.Ordinal);
        var bronze = JsonNode.Parse(await http.GetStringAsync($"{streams}/api/queries/kafka_bronze"))!;
        Assert.NotEmpty(bronze["recentProgress"]!.AsArray());

        CliProcess.Interrupt(process);
        var result = await CliProcess.WaitAsync(process, timeout.Token);
        Assert.True(result.ExitCode == 0, result.ToString());
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(streams)); // served only while the run lasts
    }

    [Fact]
    public async Task A_table_that_fails_makes_the_run_exit_non_zero_with_its_errorAsync()
    {
        Directory.CreateDirectory(folder.Combine("events"));
        File.WriteAllText(folder.Combine("events", "bad.json"), "{\"a\": 1}\n{not json\n");
        File.WriteAllText(folder.Combine("p.sql"), """
            CREATE OR REFRESH STREAMING TABLE raw
            AS SELECT * FROM STREAM read_files('events', format => 'json', schema => 'a INT', mode => 'FAILFAST');
            """);

        var result = await Cli.RunAsync("run", "p.sql");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: p.sql:1: streaming table raw failed: ", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Contains("bad.json", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
