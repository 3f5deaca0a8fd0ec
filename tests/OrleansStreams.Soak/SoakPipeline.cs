using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Soak;

/// <summary>
/// The pipeline under soak, submitted to the cluster from a connected session: <c>soak_bronze</c> ingests the input
/// with <c>cloudFiles</c> into the Delta table <c>bronze</c>; <c>soak_totals</c> streams <c>bronze</c> into per-key
/// row counts and amount sums, in complete mode, into <c>totals</c> (stateful: its aggregation state must survive
/// every kill exactly). Both run on a one-second processing-time trigger.
/// </summary>
public sealed class SoakPipeline : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly StreamingSession spark;

    private SoakPipeline(StreamingSession spark, StreamingQuery bronze, StreamingQuery totals)
    {
        this.spark = spark;
        Bronze = bronze;
        Totals = totals;
    }

    public StreamingQuery Bronze { get; }

    public StreamingQuery Totals { get; }

    /// <param name="root">The run's folder on Azurite (<c>abfss://…</c>), holding input, warehouse and checkpoints.</param>
    /// <param name="direct">The same folder without faults, to see when <c>bronze</c> exists.</param>
    public static async Task<SoakPipeline> StartAsync(ClusterSettings cluster, string root, StorageOptions storage, IObjectStore direct)
    {
        var spark = await StreamingSession.ConnectAsync(cluster, new StreamingSessionOptions { Warehouse = $"{root}/warehouse", Storage = storage });
        var bronze = await spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Schema(SoakInput.Schema)
            .Load($"{root}/{SoakInput.Folder}")
            .WriteStream()
            .QueryName("soak_bronze")
            .Option("checkpointLocation", $"{root}/checkpoints/bronze")
            .Trigger(Trigger.ProcessingTime(Interval))
            .ToTableAsync("bronze");

        // A stream over a table needs the table: wait for bronze's first commit.
        await Polling.UntilAsync(async () => await direct.GetPropertiesAsync("warehouse/bronze/_delta_log/00000000000000000000.json") is not null, TimeSpan.FromMinutes(2),
            () => $"bronze was never created: {bronze.Status} {bronze.Exception}");
        var totals = await spark.ReadStream
            .Table("bronze")
            .GroupBy("key")
            .Agg(Count(Col("id")).Alias("rows"), Sum(Col("amount")).Alias("amount"))
            .WriteStream()
            .QueryName("soak_totals")
            .OutputMode("complete")
            .Option("checkpointLocation", $"{root}/checkpoints/totals")
            .Trigger(Trigger.ProcessingTime(Interval))
            .ToTableAsync("totals");
        return new SoakPipeline(spark, bronze, totals);
    }

    public async ValueTask DisposeAsync()
    {
        await Bronze.StopAsync();
        await Totals.StopAsync();
        await spark.DisposeAsync();
    }
}
