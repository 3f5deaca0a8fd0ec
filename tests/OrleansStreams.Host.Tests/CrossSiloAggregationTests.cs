using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// A grouped aggregation (count and sum per string key, complete mode, Delta sink) runs on a cluster of two silo host
/// processes. Mid-stream the silo running its query grain is stopped, and the query carries on in the other silo
/// process, which routes the keys to the aggregation partition grains from then on: each key must still come out
/// once, with the totals DuckDB computes over all the input.
/// </summary>
public sealed class CrossSiloAggregationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int Files = 40;
    private const int RowsPerFile = 50;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TempDirectory temp = new("cross-silo");
    private readonly List<SiloProcess> silos = [];

    public void Dispose()
    {
        foreach (var silo in silos)
        {
            silo.Dispose();
        }

        temp.Dispose();
    }

    [Fact]
    public async Task A_query_grain_moved_to_another_silo_process_keeps_each_aggregation_key_exactAsync()
    {
        for (var i = 0; i < Files; i++)
        {
            InputFiles.Write(temp.Combine("input"), i, RowsPerFile);
        }

        var clusterId = $"cross-silo-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__OrleansStreams"] = "Information",
            ["OrleansStreams__Cluster__Clustering"] = "AzureTable",
            ["OrleansStreams__Cluster__ClusterId"] = clusterId,
            ["OrleansStreams__Cluster__ConnectionString"] = azurite.ConnectionString,
            ["OrleansStreams__Silo__StateRoot"] = temp.Combine("state"),
            ["OrleansStreams__Silo__BatchShutdownGrace"] = "00:00:05",
        };
        silos.Add(SiloProcess.Start(settings));
        silos.Add(SiloProcess.Start(settings));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var silo in silos)
        {
            await Polling.UntilAsync(async () => (await http.GetAsync($"{silo.Url}/readyz")).IsSuccessStatusCode, Patience, () => $"silo {silo.SiloPort} never became ready:\n{silo.Output()}");
        }

        var cluster = new ClusterSettings
        {
            Clustering = ClusteringMode.AzureTable,
            ClusterId = clusterId,
            Table = new AzureTableClusteringOptions { ConnectionString = azurite.ConnectionString },
        };
        await using var spark = await StreamingSession.ConnectAsync(cluster, new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema(InputFiles.Schema).Load(temp.Combine("input"))
            .WithColumn("k", Concat(Lit("key-"), (Col("id") % 53).Cast("string")))
            .GroupBy("k").Agg(Count(Lit(1)).Alias("n"), Sum(Col("id")).Alias("total"))
            .WriteStream().OutputMode("complete").Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.AvailableNow)
            .StartAsync(temp.Combine("table"));

        // Stop the silo running the query grain a few batches in; the rest of the batches run in the other process.
        await Polling.UntilAsync(() => Task.FromResult(Committed() >= 5), Patience, () => $"the query did not get going: {query.Status}");
        var first = silos.SingleOrDefault(s => s.Is(SiloOf(query))) ?? throw new InvalidOperationException($"no silo runs the query: {query.Status}");
        first.Terminate();
        Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(40)), $"silo {first.SiloPort} did not stop:\n{first.Output()}");
        var committedAtStop = Committed();
        Assert.True(committedAtStop < Files, "the query finished before its silo stopped; give it more files");

        Assert.True(await query.AwaitTerminationAsync(Patience), $"the query did not finish on the other silo: {Committed()} batches, {query.Status}");
        Assert.Null(query.Exception);
        Assert.Equal(Files, Committed());

        var expected = DuckDbDelta.Query($"""
            SELECT 'key-' || (id % 53)::VARCHAR AS k, count(*) AS n, sum(id)::BIGINT AS total
            FROM read_json('{temp.Combine("input", "*.json")}', format = 'newline_delimited', columns = {"{"}id: 'BIGINT', word: 'VARCHAR'{"}"}) GROUP BY ALL
            """);
        var actual = DuckDbDelta.Query($"SELECT k, n, total FROM {DuckDbDelta.Scan(temp.Combine("table"))}");
        JsonRows.AssertSameKeyedRows(expected, actual, $"the table against DuckDB after the query moved at batch {committedAtStop}", "k");
    }

    private int Committed() =>
        Directory.Exists(temp.Combine("checkpoint", "commits")) ? Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length : 0;

    private static string? SiloOf(StreamingQuery query) => query.Status.StartsWith("Running on ", StringComparison.Ordinal) ? query.Status["Running on ".Length..] : null;
}
