using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>SELECTs over Delta tables in the catalog, answered by our engine and, on the same files, by DuckDB.</summary>
public sealed class BatchSqlTests : IAsyncLifetime
{
    private static readonly StructType BooksSchema = DdlParser.ParseSchema("book_id STRING, title STRING, author STRING, category STRING, price DOUBLE");
    private static readonly StructType OrdersSchema = DdlParser.ParseSchema("order_id LONG, customer_id STRING, book_id STRING, quantity INT, order_day DATE");

    private readonly TempDirectory temp = new("batch-sql");
    private DeltaRelations relations = null!;
    private DeltaCatalog catalog = null!;

    public async Task InitializeAsync()
    {
        var warehouse = new LocalFileObjectStore(temp.Combine("warehouse"));
        catalog = new DeltaCatalog(warehouse);
        var authors = new[] { "Tracy Kidder", "Frank Herbert", "Ursula K. Le Guin", "Octavia Butler", null };
        var categories = new[] { "Fiction", "Nonfiction", "Computer Science" };
        var books = Enumerable.Range(0, 40).Select(i => new object?[]
        {
            $"B{i:D2}", $"Title {i}", authors[i % 5], categories[i % 3], i % 7 == 6 ? null : 5.0 + (i * 1.25),
        }).ToList();
        var orders = Enumerable.Range(0, 500).Select(i => new object?[]
        {
            (long)i, $"C{i % 23:D2}", $"B{(i * 7) % 45:D2}", 1 + (i % 4), 19000 + (i % 30),
        }).ToList();

        await WriteTableAsync("books", BooksSchema, books, ["category"]);
        await WriteTableAsync("sales.orders", OrdersSchema, orders, []);
        relations = new DeltaRelations(catalog, new ObjectStoreFactory(new StorageOptions()));
    }

    /// <summary>Plans <paramref name="sql"/>, loads the tables it reads, then runs it over what was loaded (as a query grain does).</summary>
    private async Task<IReadOnlyList<Apache.Arrow.RecordBatch>> RunAsync(string sql, Func<IRelationProvider, IRelationProvider>? wrap = null)
    {
        var plan = new QuerySession(NoTables.Instance).Sql(sql)!.Plan;
        var loaded = await relations.LoadAsync(plan, CancellationToken.None);
        var session = new QuerySession(wrap is null ? loaded : wrap(loaded));
        return await session.CollectAsync(new Engine.DataFrames.DataFrame(plan, session));
    }

    public Task DisposeAsync()
    {
        temp.Dispose();
        return Task.CompletedTask;
    }

    private async Task WriteTableAsync(string name, StructType schema, List<object?[]> rows, IReadOnlyList<string> partitionBy)
    {
        var entry = await catalog.CreateAsync(name);
        var table = new DeltaTable(catalog.OpenStore(entry));
        foreach (var chunk in rows.Chunk(100))
        {
            await table.WriteAsync(schema, [Batch(schema, chunk)], new DeltaWriteOptions { PartitionBy = partitionBy });
        }
    }

    public static TheoryData<string> Queries() =>
    [
        "SELECT author, count(book_id) AS total_books FROM books GROUP BY author",
        "SELECT * FROM books WHERE price > 30",
        "SELECT category, avg(price) AS avg_price, min(price) AS lo, max(price) AS hi, count(*) AS n FROM books GROUP BY category",
        "SELECT b.title, sum(o.quantity) AS sold FROM sales.orders o JOIN books b ON o.book_id = b.book_id GROUP BY b.title",
        "SELECT o.order_id, b.author FROM sales.orders o LEFT JOIN books b ON o.book_id = b.book_id WHERE o.quantity = 4",
        "SELECT customer_id, count(DISTINCT book_id) AS titles FROM sales.orders GROUP BY customer_id HAVING count(*) > 21",
        "SELECT DISTINCT category, author FROM books WHERE author IS NOT NULL",
        "SELECT title, price FROM books WHERE category = 'Fiction' AND price BETWEEN 10 AND 40 ORDER BY price DESC LIMIT 5",
        "SELECT upper(author) AS who, length(title) AS len FROM books WHERE author LIKE '%er%'",
        "SELECT order_day, sum(quantity) AS q FROM sales.orders WHERE order_day >= DATE '2022-01-10' GROUP BY order_day",
        "SELECT category, count(*) AS n FROM books WHERE book_id IN ('B01', 'B02', 'B03', 'B30') GROUP BY category",
        "SELECT coalesce(author, 'unknown') AS author, CASE WHEN price > 30 THEN 'high' WHEN price IS NULL THEN 'none' ELSE 'low' END AS band FROM books",
        "SELECT count(*) AS n, sum(quantity) AS q FROM sales.orders WHERE book_id NOT IN (SELECT book_id FROM books)",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Our_answer_equals_DuckDBs_on_the_same_filesAsync(string sql)
    {
        if (sql.Contains("NOT IN (SELECT", StringComparison.Ordinal))
        {
            // Subqueries in expressions are not supported: say so clearly, don't answer wrongly.
            var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(sql));
            Assert.Contains("SUBQUERY", error.Message, StringComparison.OrdinalIgnoreCase);
            return;
        }

        var ours = RowJson.Render(await RunAsync(sql)).Cast<JsonNode?>().ToList();
        var duck = DuckDbAnswer(sql);

        Assert.NotEmpty(duck);
        JsonRows.AssertSameRows(duck, ours, sql);
    }

    [Fact]
    public async Task Partition_pruning_and_min_max_stats_skip_filesAsync()
    {
        var table = new DeltaTable(catalog.OpenStore(await catalog.ResolveAsync("books")));
        var snapshot = await table.GetSnapshotAsync();
        var source = new DeltaBatchSource(table, snapshot);

        await DrainAsync(source, [Parse("category = 'Fiction'")]);
        var pruned = source.LastScanFileCount;
        await DrainAsync(source, [Parse("price > 1000")]);
        var skipped = source.LastScanFileCount;
        await DrainAsync(source, []);

        Assert.Equal(3, snapshot.ActiveFiles.Count);
        Assert.Equal(1, pruned);
        Assert.Equal(0, skipped);
        Assert.Equal(3, source.LastScanFileCount);
    }

    [Fact]
    public async Task Time_travel_by_version_reads_the_older_snapshotAsync()
    {
        var now = RowJson.Render(await RunAsync("SELECT count(*) AS n FROM sales.orders"));
        var first = RowJson.Render(await RunAsync("SELECT count(*) AS n FROM sales.orders VERSION AS OF 1"));

        Assert.Equal("500", now[0]["n"]!.ToString());
        Assert.Equal("100", first[0]["n"]!.ToString());
    }

    [Fact]
    public async Task Time_travel_by_timestamp_reads_the_snapshot_of_that_momentAsync()
    {
        var schema = DdlParser.ParseSchema("id INT");
        var table = new DeltaTable(catalog.OpenStore(await catalog.CreateAsync("prices")));
        var times = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            // Commit times have millisecond precision: each commit in a later millisecond than the one before.
            var previous = times.Count == 0 ? DateTimeOffset.MinValue : times[^1];
            SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > previous.ToUnixTimeMilliseconds());
            var version = await table.WriteAsync(schema, [Batch(schema, [[i]])]);
            times.Add((await table.GetSnapshotAsync(version)).Timestamp!.Value);
        }

        async Task<string> CountAsOfAsync(DateTimeOffset t) => RowJson.Render(await RunAsync(
            $"SELECT count(*) AS n FROM prices TIMESTAMP AS OF '{t.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}'"))[0]["n"]!.ToString();

        foreach (var (time, rows) in times.Zip(["1", "2", "3"]))
        {
            Assert.Equal(rows, await CountAsOfAsync(time));
        }

        Assert.Equal("2", await CountAsOfAsync(times[2].AddMilliseconds(-1))); // between two commits: the older one
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CountAsOfAsync(times[0].AddDays(-1)));
        Assert.Contains("before the earliest available commit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_that_needs_two_of_five_columns_reads_only_those_from_the_filesAsync()
    {
        RecordingRelations? recording = null;
        var rows = RowJson.Render(await RunAsync("SELECT author, max(price) AS top FROM books WHERE price > 10 GROUP BY author", loaded => recording = new RecordingRelations(loaded)));

        Assert.Equal(5, rows.Count); // four authors and NULL
        var scan = Assert.Single(recording!.Scans, s => s.Scanned);
        Assert.Equal(["author", "price"], scan.Requested);
        Assert.NotEmpty(scan.Read);
        Assert.All(scan.Read, columns => Assert.Equal(["author", "price"], columns));
    }

    [Fact]
    public async Task Loading_reads_each_table_at_that_moment_and_a_later_commit_only_at_the_next_loadAsync()
    {
        var schema = DdlParser.ParseSchema("id INT");
        var table = new DeltaTable(catalog.OpenStore(await catalog.CreateAsync("events")));
        await table.WriteAsync(schema, [Batch(schema, [[1], [2]])]);
        var plan = new QuerySession(NoTables.Instance).Sql("SELECT count(*) AS n FROM events")!.Plan;
        async Task<string> CountAsync(IRelationProvider loaded)
        {
            var session = new QuerySession(loaded);
            return RowJson.Render(await session.CollectAsync(new Engine.DataFrames.DataFrame(plan, session)))[0]["n"]!.ToString();
        }

        var before = await relations.LoadAsync(plan, CancellationToken.None);
        await table.WriteAsync(schema, [Batch(schema, [[3]])]);
        var after = await relations.LoadAsync(plan, CancellationToken.None);

        Assert.Equal("2", await CountAsync(before));
        Assert.Equal("3", await CountAsync(after));
    }

    [Fact]
    public async Task A_missing_table_fails_the_load_and_a_table_not_loaded_is_never_read_on_demandAsync()
    {
        var missing = new QuerySession(NoTables.Instance).Sql("SELECT * FROM books JOIN nowhere USING (book_id)")!.Plan;
        var notFound = await Assert.ThrowsAsync<Engine.Expressions.Analysis.AnalysisException>(() => relations.LoadAsync(missing, CancellationToken.None));
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", notFound.ErrorClass);

        var booksOnly = new QuerySession(await relations.LoadAsync(new QuerySession(NoTables.Instance).Sql("SELECT * FROM books")!.Plan, CancellationToken.None));
        var other = Assert.Throws<InvalidOperationException>(() => booksOnly.Sql("SELECT * FROM sales.orders")!.Schema);
        Assert.Contains("`sales.orders` was not loaded", other.Message, StringComparison.Ordinal);
    }

    /// <summary>Hands out the real tables' sources wrapped to record what each scan asked for and the columns of the batches it got.</summary>
    private sealed class RecordingRelations(IRelationProvider inner) : IRelationProvider
    {
        public List<RecordingSource> Scans { get; } = [];

        public RelationBinding ResolveTable(Engine.Plans.TableRelation table) => Record(inner.ResolveTable(table));

        public RelationBinding ResolveSource(Engine.Plans.DataSourceRelation source) => Record(inner.ResolveSource(source));

        private RelationBinding Record(RelationBinding binding)
        {
            if (binding is not SourceBinding source)
            {
                return binding;
            }

            var recording = new RecordingSource(source.Source);
            Scans.Add(recording);
            return source with { Source = recording };
        }
    }

    private sealed class RecordingSource(IBatchSource inner) : IBatchSource
    {
        public bool Scanned { get; private set; }

        public List<string> Requested { get; private set; } = [];

        public List<List<string>> Read { get; } = [];

        public async IAsyncEnumerable<Apache.Arrow.RecordBatch> ScanAsync(ScanRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Scanned = true;
            Requested = [.. request.Columns];
            await foreach (var batch in inner.ScanAsync(request, cancellationToken))
            {
                Read.Add([.. batch.Schema.FieldsList.Select(f => f.Name)]);
                yield return batch;
            }
        }
    }

    private static Expression Parse(string sql) => Engine.Sql.SqlParser.ParseExpression(sql);

    private static async Task DrainAsync(DeltaBatchSource source, IReadOnlyList<Expression> filters)
    {
        await foreach (var _ in source.ScanAsync(new ScanRequest(["book_id"], filters)))
        {
        }
    }

    /// <summary>DuckDB answers the same SQL over views of the tables' live Parquet files (found by its own log replay).</summary>
    private List<JsonNode?> DuckDbAnswer(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, "SET TimeZone = 'UTC'; CREATE SCHEMA sales;");
        foreach (var (name, partitions) in new[] { ("books", "category"), ("sales.orders", (string?)null) })
        {
            var folder = Path.Combine(temp.Path, "warehouse", name == "books" ? "books" : "sales.db/orders");
            var files = string.Join(", ", DuckDbDelta.LiveFiles(folder).Select(f => $"'{Path.Combine(folder, f)}'"));
            var hive = partitions is null ? "false" : "true";
            Execute(connection, $"CREATE VIEW {name} AS SELECT * FROM read_parquet([{files}], hive_partitioning = {hive}, union_by_name = true)");
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT to_json(duck_row)::VARCHAR FROM ({sql}) duck_row";
        var rows = new List<JsonNode?>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
