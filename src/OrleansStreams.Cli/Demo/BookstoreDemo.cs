using System.Globalization;
using OrleansStreams.Bookstore;
using OrleansStreams.Cli.Output;
using OrleansStreams.Client;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Runtime.Streaming;
using Spectre.Console;

namespace OrleansStreams.Cli.Demo;

/// <summary>
/// The demo: generates bookstore drops, runs the seed's pipelines on an embedded silo (bronze with AvailableNow;
/// books → author_counts with ProcessingTime while more drops arrive; bronze again to pick up the new files), and
/// prints the tables. Running it again adds the next drops: the checkpoints make every pipeline read only new files.
/// </summary>
/// <param name="uiPort">Where to serve the streams UI while the demo runs (<c>--ui</c>), or null for none.</param>
internal sealed class BookstoreDemo(CliSettings settings, CliConsole console, string data, int drops, int? uiPort)
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(90);

    private readonly BookstoreOptions options = new() { Seed = settings.DemoSeed };
    private readonly ProgressDisplay display = new(console);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var generator = new BookstoreGenerator(options);
        var first = BookstoreFiles.NextDrop(data);
        var checkpoints = settings.CheckpointRoot;
        console.Ansi.Write(new Rule("[bold]OrleansStreams demo: the bookstore[/]").LeftJustified());
        console.Ansi.MarkupLine($"data [blue]{Markup.Escape(data)}[/], warehouse [blue]{Markup.Escape(settings.Warehouse)}[/], checkpoints [blue]{Markup.Escape(checkpoints)}[/], seed {options.Seed}");

        await using var spark = settings.CreateSession();
        await using var streamsUi = await StreamsUiOption.StartAsync(uiPort, spark, console, cancellationToken);
        var tracker = new QueryTracker();
        spark.AddListener(tracker);

        Drop(generator, first);
        await display.ShowAsync("1. bronze: kafka-raw → Delta partitioned by topic, year_month (AvailableNow)", tracker.Rows, SeedPipelines.ProcessBronzeAsync(spark, data, checkpoints));

        tracker.Clear();
        var books = await BooksIngest.StartAsync(spark, data, checkpoints, Trigger.AvailableNow);
        await display.ShowAsync("2. books: books files → Delta (AvailableNow)", tracker.Rows, books.AwaitTerminationAsync(cancellationToken));

        tracker.Clear();
        var interval = settings.DemoProcessingTime;
        books = await BooksIngest.StartAsync(spark, data, checkpoints, Trigger.ProcessingTime(interval));
        var counts = await SeedPipelines.AuthorCountsAsync(spark, Trigger.ProcessingTime(interval), checkpoints);
        var live = DropWhileRunningAsync(spark, generator, first + 1, first + drops, [books, counts], cancellationToken);
        await display.ShowAsync($"3. books → author_counts in complete mode, ProcessingTime({interval}), {drops - 1} more drop(s) arriving", tracker.Rows, live);
        await counts.StopAsync();
        await books.StopAsync();

        tracker.Clear();
        await display.ShowAsync("4. bronze again: only the new kafka-raw files (AvailableNow)", tracker.Rows, SeedPipelines.ProcessBronzeAsync(spark, data, checkpoints));

        await PrintTablesAsync(spark, cancellationToken);
        console.Ansi.MarkupLine($"Query the tables: [green]orleans-streams sql \"SELECT * FROM author_counts\"{WarehouseHint()}[/]");
    }

    private void Drop(BookstoreGenerator generator, int index)
    {
        var drop = generator.Drop(index);
        var files = BookstoreFiles.Write(data, drop, options);
        console.Ansi.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]drop {index}: {drop.Books.Count} books, {drop.Customers.Count} customers, {drop.Orders.Count} orders → {Markup.Escape(string.Join(", ", files.Select(Path.GetFileName)))}[/]"));
    }

    /// <summary>Adds drops one by one, each once author_counts has counted every book so far.</summary>
    private async Task DropWhileRunningAsync(StreamingSession spark, BookstoreGenerator generator, int from, int to, StreamingQuery[] queries, CancellationToken cancellationToken)
    {
        await WaitForBooksAsync(spark, (from * options.BooksPerDrop), queries, cancellationToken);
        for (var index = from; index < to; index++)
        {
            Drop(generator, index);
            await WaitForBooksAsync(spark, (index + 1) * options.BooksPerDrop, queries, cancellationToken);
        }
    }

    private static async Task WaitForBooksAsync(StreamingSession spark, long books, StreamingQuery[] queries, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CatchUpTimeout);
        while (await CountedBooksAsync(spark, timeout.Token) < books)
        {
            if (queries.FirstOrDefault(q => !q.IsActive) is { } stopped)
            {
                await stopped.AwaitTerminationAsync(cancellationToken); // rethrows its failure
                throw new InvalidOperationException($"query {stopped.Name ?? stopped.Id.ToString()} stopped before author_counts caught up");
            }

            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"author_counts did not count {books} books within {CatchUpTimeout.TotalSeconds:F0} s");
            }
        }
    }

    private static async Task<long> CountedBooksAsync(StreamingSession spark, CancellationToken cancellationToken)
    {
        try
        {
            var table = await spark.Catalog.ResolveAsync("author_counts", cancellationToken);
            if (!await new Storage.Delta.DeltaLog(spark.Catalog.OpenStore(table)).ExistsAsync(cancellationToken))
            {
                return 0; // registered, its first batch not committed yet
            }
        }
        catch (Storage.Delta.TableNotFoundException)
        {
            return 0;
        }

        var rows = await spark.CollectAsync(spark.Sql("SELECT coalesce(sum(total_books), 0) FROM author_counts")!, cancellationToken);
        return ((Apache.Arrow.Int64Array)rows[0].Column(0)).GetValue(0) ?? 0;
    }

    private async Task PrintTablesAsync(StreamingSession spark, CancellationToken cancellationToken)
    {
        var writer = new ResultWriter(console.Ansi, console.Output, ZoneRules.Utc);
        (string Title, string Sql)[] tables =
        [
            ("bronze: messages per topic and month", "SELECT topic, year_month, count(*) AS messages, min(timestamp) AS first, max(timestamp) AS last FROM bronze GROUP BY topic, year_month ORDER BY topic, year_month"),
            ("books (first 10)", "SELECT book_id, title, author, category, price FROM books ORDER BY book_id LIMIT 10"),
            ("author_counts", "SELECT author, total_books FROM author_counts ORDER BY total_books DESC, author"),
        ];
        foreach (var (title, sql) in tables)
        {
            var frame = spark.Sql(sql)!;
            writer.Write(frame.Schema, await spark.CollectAsync(frame, cancellationToken), ResultFormat.Table, title);
        }
    }

    private string WarehouseHint() => settings.Warehouse == "warehouse" ? string.Empty : $" --warehouse {settings.Warehouse}";
}
