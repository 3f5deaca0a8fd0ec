using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// A streaming aggregation on a cluster of silo processes: the silo running its query grain is SIGKILLed and a new
/// silo process joins, so the query and its aggregation partitions carry on in other processes. Keys must keep going
/// to the partition that holds their state whichever process routes them: the complete-mode table must hold one row
/// per key equal to DuckDB's aggregate over all the input.
/// </summary>
public sealed class ClusterAggregationFailoverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int Files = 40;
    private const int RowsPerFile = 60;
    private const int Keys = 50;

    private readonly TempDirectory temp = new("cluster-aggregation");
    private SiloProcessCluster? cluster;

    public void Dispose()
    {
        cluster?.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Aggregation_state_stays_exact_when_the_query_moves_to_another_silo_processAsync()
    {
        for (var file = 0; file < Files; file++)
        {
            WriteInput(file);
        }

        cluster = new SiloProcessCluster(azurite, temp, "aggregation");
        var settings = cluster.Settings();
        await cluster.StartAsync(settings, 2);
        await using var spark = await StreamingSession.ConnectAsync(cluster.Client(), new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema("key STRING, amount LONG").Load(temp.Combine("input"))
            .GroupBy("key").Agg(Count(Lit(1)).Alias("n"), Sum(Col("amount")).Alias("total"))
            .WriteStream().OutputMode("complete").Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.AvailableNow)
            .StartAsync(temp.Combine("table"));

        // Kill the silo that runs the query grain a few batches in; a new silo process joins in its place.
        await Polling.UntilAsync(() => Task.FromResult(Committed() >= 5), SiloProcessCluster.Patience, () => $"the query did not get going: {query.Status}");
        var first = cluster.Running(query);
        first.Kill();
        var committedAtKill = Committed();
        Assert.True(committedAtKill < Files - 3, $"the query was nearly done ({committedAtKill} batches) when its silo was killed; give it more files");
        await cluster.StartAsync(settings, 1);
        await Polling.UntilAsync(() => Task.FromResult(Committed() >= committedAtKill + 3), SiloProcessCluster.Patience, () => $"the query did not carry on after the kill: {query.Status}");

        Assert.True(await query.AwaitTerminationAsync(SiloProcessCluster.Patience), $"the query did not finish: {Committed()} batches, {query.Status}");
        Assert.Null(query.Exception);

        var actual = DuckDbDelta.ReadRows(temp.Combine("table")).Select(r => r!.AsObject()).ToList();
        var expected = DuckDbQuery.Rows(
            $"SELECT key, count(*) AS n, sum(amount) AS total FROM read_json({DuckDbQuery.Quote(temp.Combine("input", "*.json"))}, columns = {{key: 'VARCHAR', amount: 'BIGINT'}}) GROUP BY key")
            .Select(r => r!.AsObject()).ToList();
        Assert.Equal(Keys, expected.Count);
        Assert.Equal(Rows(expected), Rows(actual)); // one row per key, each with its exact count and sum
    }

    private static List<string> Rows(IEnumerable<JsonObject> rows) =>
        rows.Select(r => $"{r["key"]}|{r["n"]}|{r["total"]}").Order(StringComparer.Ordinal).ToList();

    /// <summary>One input file: every key in turn, amounts that differ per file and row.</summary>
    private void WriteInput(int file)
    {
        Directory.CreateDirectory(temp.Combine("input"));
        var text = new StringBuilder();
        for (var row = 0; row < RowsPerFile; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"key\":\"key {((file * 7) + row) % Keys}\",\"amount\":{(file * 1000) + row}}}\n");
        }

        var path = temp.Combine("input", string.Create(CultureInfo.InvariantCulture, $"part-{file:D5}.json"));
        File.WriteAllText(path + ".tmp", text.ToString());
        File.Move(path + ".tmp", path);
    }

    private int Committed() =>
        Directory.Exists(temp.Combine("checkpoint", "commits")) ? Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length : 0;
}
