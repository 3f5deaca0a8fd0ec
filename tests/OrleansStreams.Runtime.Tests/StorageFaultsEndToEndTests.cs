using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;
using Xunit.Abstractions;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The seed's pipelines (the bronze ingest; books into author_counts) with their source files, tables, catalog and
/// checkpoints on Azurite behind <see cref="FaultInjectingProxy"/>: throttling, dropped connections, lost responses
/// (also aimed at chosen commits and entries) and delays are ridden out by the Azure SDK's retries and the
/// lost-response handling, and the tables are exact (checked by DuckDB on a copy of the blobs).
/// </summary>
public sealed class StorageFaultsEndToEndTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int RowsPerFile = 40;

    private readonly TempDirectory temp = new("storage-faults");
    private readonly string root = $"abfss://faults@{AzuriteFixture.AccountName}.dfs.core.windows.net/run-{Guid.NewGuid():N}";

    public void Dispose() => temp.Dispose();

    /// <summary>The run's folder on Azurite reached directly, without faults: to upload input and copy tables for DuckDB.</summary>
    private IObjectStore Direct() => new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString }).Create(root);

    [Fact]
    public async Task Bronze_ingest_through_storage_faults_lands_every_row_exactly_onceAsync()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(azurite.BlobEndpoint), FaultPlan.AllKinds(everyNth: 9, seed: 2026));
        var storage = new StorageOptions { ConnectionString = proxy.ConnectionStringFor(azurite.ConnectionString) };
        // Besides the rotation, lose the responses of one table commit and of one offsets and one commits entry.
        proxy.Plan.Aim(StorageFault.ResetAfterForwarding, "warehouse/bronze/_delta_log/00000000000000000002.json");
        proxy.Plan.Aim(StorageFault.ResetAfterForwarding, "checkpoints/bronze/offsets/3");
        proxy.Plan.Aim(StorageFault.ResetAfterForwarding, "checkpoints/bronze/commits/3");

        await UploadSourceFilesAsync(Direct(), 0, 6);
        await RunBronzeAsync(storage);
        await UploadSourceFilesAsync(Direct(), 6, 4);
        await RunBronzeAsync(storage); // a restart: a new session picks the checkpoint up and ingests only the new files

        proxy.Plan.Paused = true;
        var injected = proxy.Injected;
        output.WriteLine("injected: " + string.Join(", ", injected.Select(p => $"{p.Key}={p.Value}")));
        Assert.All(injected, p => Assert.True(p.Value > 0, $"no {p.Key} fault was injected"));
        Assert.Equal(0, proxy.Plan.AimedLeft);

        var table = await LocalCopy.OfAsync(new ScopedObjectStore(Direct(), "warehouse/bronze"), temp.Combine("bronze-copy"));
        const long rows = 10 * RowsPerFile;
        Assert.Equal((rows, rows, rows * (rows - 1) / 2), DuckDbDelta.Totals(table, "offset"));
    }

    [Fact]
    public async Task Author_counts_through_storage_faults_match_the_books_exactlyAsync()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(azurite.BlobEndpoint), FaultPlan.AllKinds(everyNth: 7, seed: 2027));
        var storage = new StorageOptions { ConnectionString = proxy.ConnectionStringFor(azurite.ConnectionString) };
        proxy.Plan.Aim(StorageFault.ResetAfterForwarding, "warehouse/author_counts/_delta_log/00000000000000000001.json");
        proxy.Plan.Aim(StorageFault.ResetAfterForwarding, "checkpoints/author_counts/commits/1");
        proxy.Plan.Aim(StorageFault.ResetAfterForwarding, "warehouse/_catalog/default/author_counts.json");

        await using (var spark = Session(storage))
        {
            await BooksTable.AddAsync(spark, 0, 10);
            await RunAuthorCountsAsync(spark);
            await BooksTable.AddAsync(spark, 10, 7);
            await RunAuthorCountsAsync(spark);
        }

        await using (var spark = Session(storage))
        {
            await BooksTable.AddAsync(spark, 17, 5);
            await RunAuthorCountsAsync(spark); // a restart in a new session
        }

        proxy.Plan.Paused = true;
        output.WriteLine("injected: " + string.Join(", ", proxy.Injected.Select(p => $"{p.Key}={p.Value}")));
        Assert.All(proxy.Injected, p => Assert.True(p.Value > 0, $"no {p.Key} fault was injected"));
        Assert.Equal(0, proxy.Plan.AimedLeft);

        var books = DuckDbDelta.Scan(await LocalCopy.OfAsync(new ScopedObjectStore(Direct(), "warehouse/books"), temp.Combine("books")));
        var counts = DuckDbDelta.Scan(await LocalCopy.OfAsync(new ScopedObjectStore(Direct(), "warehouse/author_counts"), temp.Combine("author_counts")));
        var expected = DuckDbQuery.Rows($"SELECT author, count(book_id) AS n FROM {books} GROUP BY author ORDER BY author");
        var found = DuckDbQuery.Rows($"SELECT author, total_books AS n FROM {counts} ORDER BY author");
        Assert.Equal(22, expected.Sum(r => r["n"]!.GetValue<long>()));
        Assert.Equal(expected.Select(r => r.ToJsonString()), found.Select(r => r.ToJsonString()));
    }

    private StreamingSession Session(StorageOptions storage) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = $"{root}/warehouse", Storage = storage });

    /// <summary>The seed's author_counts, available-now.</summary>
    private async Task RunAuthorCountsAsync(StreamingSession spark)
    {
        spark.ReadStream.Table("books").CreateOrReplaceTempView("books_streaming_tmp_vw");
        var query = await spark.Sql("SELECT author, count(book_id) AS total_books FROM books_streaming_tmp_vw GROUP BY author")!
            .WriteStream()
            .Trigger(Trigger.AvailableNow)
            .OutputMode("complete")
            .Option("checkpointLocation", $"{root}/checkpoints/author_counts")
            .ToTableAsync("author_counts");
        await query.AwaitTerminationAsync();
        Assert.Null(query.Exception);
    }

    private async Task UploadSourceFilesAsync(IObjectStore direct, int first, int count)
    {
        for (var index = first; index < first + count; index++)
        {
            var path = KafkaRawFiles.Write(temp.Combine("kafka-raw"), index, RowsPerFile);
            await direct.WriteAsync($"kafka-raw/{Path.GetFileName(path)}", await File.ReadAllBytesAsync(path));
        }
    }

    private async Task RunBronzeAsync(StorageOptions storage)
    {
        await using var spark = Session(storage);
        var query = await spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", 2)
            .Schema(KafkaRawFiles.Schema)
            .Load($"{root}/kafka-raw")
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream()
            .Option("checkpointLocation", $"{root}/checkpoints/bronze")
            .PartitionBy("topic")
            .Trigger(Trigger.AvailableNow)
            .ToTableAsync("bronze");
        await query.AwaitTerminationAsync();
        Assert.Null(query.Exception);
    }
}
