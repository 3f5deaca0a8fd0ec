using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// A shared cluster reads and writes only where it may: the silo host (in this process, outside Development) refuses a
/// query whose checkpoint, sink, warehouse or source lies outside its allowed storage roots, by default its own warehouse,
/// checkpoint root and state root, before the query writes anything; a query inside them runs.
/// </summary>
public sealed class AllowedLocationsTests : IDisposable
{
    private readonly TempDirectory temp = new("allowed-locations");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        http.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task By_default_queries_reach_only_the_silos_warehouse_checkpoint_root_and_state_rootAsync()
    {
        var warehouse = temp.Combine("wh");
        InputFiles.Write(Path.Combine(warehouse, "landing"), 0, 5);
        InputFiles.Write(temp.Combine("elsewhere"), 0, 5);
        await using var app = await StartAsync("Production", $"--OrleansStreams:Warehouse={warehouse}");
        await using var spark = StreamingSession.Connect(app.Services.GetRequiredService<IGrainFactory>(), new StreamingSessionOptions { Warehouse = warehouse });

        var inside = await StartAsync(spark, Path.Combine(warehouse, "landing"), Path.Combine(warehouse, "_checkpoints", "t"), Path.Combine(warehouse, "t"));
        Assert.True(await inside.AwaitTerminationAsync(TimeSpan.FromMinutes(1)), "the query inside the roots did not finish");
        Assert.Equal(5, DuckDbDelta.ReadRows(Path.Combine(warehouse, "t")).Count);

        var source = await Assert.ThrowsAnyAsync<Exception>(() =>
            StartAsync(spark, temp.Combine("elsewhere"), Path.Combine(warehouse, "_checkpoints", "s"), Path.Combine(warehouse, "s")));
        Assert.Contains($"the source {temp.Combine("elsewhere")}", source.Message, StringComparison.Ordinal);
        Assert.Contains($"it allows only {warehouse}, {Path.Combine(warehouse, "_checkpoints")}, {temp.Combine("state")}", source.Message, StringComparison.Ordinal);
        Assert.Contains("(OrleansStreams:Silo:AllowedLocations)", source.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(warehouse, "_checkpoints", "s")), "the refused query wrote its checkpoint");

        var checkpoint = await Assert.ThrowsAnyAsync<Exception>(() =>
            StartAsync(spark, Path.Combine(warehouse, "landing"), temp.Combine("cp"), Path.Combine(warehouse, "c")));
        Assert.Contains($"the checkpoint {temp.Combine("cp")}", checkpoint.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the source", checkpoint.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("cp")), "the refused query wrote its checkpoint");

        // A path climbing out of the warehouse is outside it.
        var sink = await Assert.ThrowsAnyAsync<Exception>(() =>
            StartAsync(spark, Path.Combine(warehouse, "landing"), Path.Combine(warehouse, "_checkpoints", "k"), warehouse + "/../wh2/k"));
        Assert.Contains($"the sink {warehouse}/../wh2/k", sink.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("wh2")), "the refused query wrote its sink");

        Assert.Equal(["t"], (await spark.ListClusterQueriesAsync()).Select(q => q.Name));
    }

    [Fact]
    public async Task A_configured_list_applies_even_in_Development_and_names_the_warehouse_a_client_sendsAsync()
    {
        var allowed = temp.Combine("allowed");
        await using var app = await StartAsync("Development", $"--OrleansStreams:Silo:AllowedLocations={allowed};abfss://lake@myacct.dfs.core.windows.net/in");
        await using var spark = StreamingSession.Connect(app.Services.GetRequiredService<IGrainFactory>(), new StreamingSessionOptions { Warehouse = temp.Combine("wh") });

        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            StartAsync(spark, Path.Combine(allowed, "in"), Path.Combine(allowed, "cp"), Path.Combine(allowed, "t")));
        Assert.Contains($"the warehouse {temp.Combine("wh")}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"it allows only {allowed}, abfss://lake@myacct.dfs.core.windows.net/in", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_grains_a_query_calls_refuse_locations_outside_the_roots_when_a_client_calls_them_directlyAsync()
    {
        var warehouse = temp.Combine("wh");
        var elsewhere = temp.Combine("elsewhere");
        InputFiles.Write(elsewhere, 0, 5);
        await using var app = await StartAsync("Production", $"--OrleansStreams:Warehouse={warehouse}");
        var grains = app.Services.GetRequiredService<IGrainFactory>();

        var listing = new DiscoverySpec { Folder = elsewhere, CheckpointFolder = Path.Combine(warehouse, "_checkpoints", "d", "sources", "0") };
        var discovery = await Assert.ThrowsAnyAsync<Exception>(() => grains.GetGrain<IFileDiscoveryGrain>(listing.CheckpointFolder).DiscoverAsync(listing));
        Assert.Contains($"the source {elsewhere}: it allows only {warehouse}", discovery.Message, StringComparison.Ordinal);

        var scan = new ScanTask
        {
            Folder = elsewhere,
            Format = "json",
            ReaderOptions = [],
            DataSchemaJson = "{}",
            OutputSchemaJson = "{}",
            TimeZone = "UTC",
            Keys = ["part-00000.json"],
            Sizes = [new FileInfo(Path.Combine(elsewhere, "part-00000.json")).Length],
            ModifiedTicks = [0],
            Sequences = [0],
        };
        var scanned = await Assert.ThrowsAnyAsync<Exception>(() => grains.GetGrain<IScanWorkerGrain>(0).ScanAsync(scan));
        Assert.Contains($"the source {elsewhere}: it allows only {warehouse}", scanned.Message, StringComparison.Ordinal);

        // A status call on a checkpoint outside the roots reads nothing there; a stop would write there and is refused.
        var outside = grains.GetGrain<IStreamingQueryGrain>(temp.Combine("cp"));
        Assert.False((await outside.GetStatusAsync()).IsActive);
        var stop = await Assert.ThrowsAnyAsync<Exception>(outside.StopAsync);
        Assert.Contains($"the checkpoint {temp.Combine("cp")}", stop.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("cp")), "the refused grain wrote its state");
    }

    private static Task<StreamingQuery> StartAsync(StreamingSession spark, string input, string checkpoint, string table) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(InputFiles.Schema).Load(input)
            .WriteStream().QueryName(Path.GetFileName(table)).Option("checkpointLocation", checkpoint).Trigger(Trigger.AvailableNow)
            .StartAsync(table);

    private async Task<WebApplication> StartAsync(string environment, params string[] extra) =>
        (await InProcessHost.StartAsync(http, temp, environment, extra)).App;
}
