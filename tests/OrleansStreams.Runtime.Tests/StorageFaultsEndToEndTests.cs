using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;
using Xunit.Abstractions;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The seed's bronze ingest with its source files, table and checkpoint on Azurite behind <see cref="FaultInjectingProxy"/>:
/// throttling, dropped connections, lost responses and delays are ridden out by the Azure SDK's retries and the
/// lost-response handling, and the table holds every input row exactly once (checked by DuckDB on a copy of the blobs).
/// </summary>
public sealed class StorageFaultsEndToEndTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int RowsPerFile = 40;

    private readonly TempDirectory temp = new("storage-faults");
    private readonly string root = $"abfss://faults@{AzuriteFixture.AccountName}.dfs.core.windows.net/run-{Guid.NewGuid():N}";

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Bronze_ingest_through_storage_faults_lands_every_row_exactly_onceAsync()
    {
        var direct = new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString }).Create(root);
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(azurite.BlobEndpoint), FaultPlan.AllKinds(everyNth: 9, seed: 2026));
        var storage = new StorageOptions { ConnectionString = proxy.ConnectionStringFor(azurite.ConnectionString) };

        await UploadSourceFilesAsync(direct, 0, 6);
        await RunBronzeAsync(storage);
        await UploadSourceFilesAsync(direct, 6, 4);
        await RunBronzeAsync(storage); // a restart: a new session picks the checkpoint up and ingests only the new files

        proxy.Plan.Paused = true;
        var injected = proxy.Injected;
        output.WriteLine("injected: " + string.Join(", ", injected.Select(p => $"{p.Key}={p.Value}")));
        Assert.All(injected, p => Assert.True(p.Value > 0, $"no {p.Key} fault was injected"));

        var table = await LocalCopy.OfAsync(new ScopedObjectStore(direct, "warehouse/bronze"), temp.Combine("bronze-copy"));
        const long rows = 10 * RowsPerFile;
        Assert.Equal((rows, rows, rows * (rows - 1) / 2), DuckDbDelta.Totals(table, "offset"));
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
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = $"{root}/warehouse", Storage = storage });
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
