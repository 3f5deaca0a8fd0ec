using System.Globalization;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Soak;

/// <summary>
/// One soak: Azurite, the fault proxy in front of its Blob service, three silos, and the pipeline. For the duration
/// input files arrive at a steady rate while a random silo is SIGKILLed every ~<see cref="SoakOptions.KillEvery"/>
/// (and replaced); then the input stops, the pipeline catches up with faults still injected, and DuckDB checks the
/// tables. Returns whether every row landed exactly once.
/// </summary>
public sealed class SoakRun(SoakOptions options, SoakReport report)
{
    public Task<bool> RunAsync() => AzuriteFixture.RunAsync(RunAsync);

    private async Task<bool> RunAsync(AzuriteFixture azurite)
    {
        using var temp = new TempDirectory("soak");
        var root = $"abfss://soak@{AzuriteFixture.AccountName}.dfs.core.windows.net/run-{Guid.NewGuid():N}";
        var direct = new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString }).Create(root);
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(azurite.BlobEndpoint), FaultPlan.AllKinds(options.FaultEvery, options.Seed));
        var proxied = proxy.ConnectionStringFor(azurite.ConnectionString);
        report.Line(Invariant($"Azurite up; one blob request in {options.FaultEvery} disturbed ({string.Join(", ", proxy.Plan.Kinds)} in turn)"));

        using var cluster = new SoakCluster(azurite.ConnectionString, proxied, temp.Combine("state"), options.Seed);
        try
        {
            await cluster.StartAsync();
            report.Line(Invariant($"{SoakCluster.Size} silos ready (cluster {cluster.ClusterId})"));
            var input = new SoakInput(direct, options.RowsPerFile);
            await input.WriteNextAsync(CancellationToken.None);
            var progress = new SoakProgress(direct);
            await using var pipeline = await SoakPipeline.StartAsync(cluster.Client(), root, new StorageOptions { ConnectionString = proxied }, direct);
            report.Line("soak_bronze and soak_totals submitted");

            await DisturbWhileInputArrivesAsync(cluster, pipeline, input, progress);
            report.Line(Invariant($"input stopped: {input.Files} files, {input.Rows} rows; {cluster.Killed} silos killed, {cluster.Started} started"));
            await CatchUpAsync(pipeline, input, progress);

            proxy.Plan.Paused = true;
            report.Line(Invariant($"faults injected over {proxy.Plan.Requests} blob requests: ") + string.Join(", ", proxy.Injected.Select(p => Invariant($"{p.Key} {p.Value}"))));
            report.Line(Invariant($"batches committed: soak_bronze {await progress.CommittedBatchesAsync("bronze")}, soak_totals {await progress.CommittedBatchesAsync("totals")}"));
            return await SoakCheck.RunAsync(direct, temp.Combine("tables"), input, report);
        }
        catch (Exception)
        {
            report.Line("the silos' output:\n" + cluster.Output());
            throw;
        }
    }

    private async Task DisturbWhileInputArrivesAsync(SoakCluster cluster, SoakPipeline pipeline, SoakInput input, SoakProgress progress)
    {
        using var stop = new CancellationTokenSource(options.Duration);
        var writing = WriteInputAsync(input, stop.Token);
        var timing = new Random(options.Seed);
        var nextKill = report.Elapsed;
        try
        {
            while (true)
            {
                // Kills are spaced from one kill to the next, the replacement's start-up included.
                nextKill += options.KillEvery * (0.75 + (0.5 * timing.NextDouble()));
                await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (nextKill - report.Elapsed).Ticks)), stop.Token);
                var ran = Running(pipeline);
                var victim = await cluster.KillOneAsync();
                report.Line(Invariant($"killed silo {victim.SiloPort}{RanWhat(victim, ran)}, replacement ready; ") + await LandedAsync(input, progress));
                FailIfFailed(pipeline);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the duration is over
        }

        await writing;
    }

    private async Task WriteInputAsync(SoakInput input, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.FilesPerSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await input.WriteNextAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the duration is over; a file cut short by the cancellation was not counted
        }
    }

    private async Task CatchUpAsync(SoakPipeline pipeline, SoakInput input, SoakProgress progress)
    {
        var started = report.Elapsed;
        await Polling.UntilAsync(
            async () =>
            {
                FailIfFailed(pipeline);
                return await progress.BronzeRowsAsync() >= input.Rows && await progress.TotalsRowsAsync() >= input.Rows;
            },
            options.CatchUpPatience,
            () => Invariant($"the pipeline did not catch up: bronze {pipeline.Bronze.Status}, totals {pipeline.Totals.Status}"));
        report.Line(Invariant($"caught up {(report.Elapsed - started).TotalSeconds:F1} s after the input stopped; ") + await LandedAsync(input, progress));
    }

    private static async Task<string> LandedAsync(SoakInput input, SoakProgress progress) =>
        Invariant($"{input.Rows} rows written, {await progress.BronzeRowsAsync()} in bronze, {await progress.TotalsRowsAsync()} counted by totals");

    private static (string? Bronze, string? Totals) Running(SoakPipeline pipeline) => (SiloOf(pipeline.Bronze), SiloOf(pipeline.Totals));

    private static string RanWhat(SiloProcess victim, (string? Bronze, string? Totals) ran)
    {
        var queries = new[] { (ran.Bronze, "soak_bronze"), (ran.Totals, "soak_totals") }.Where(q => victim.Is(q.Item1)).Select(q => q.Item2).ToList();
        return queries.Count == 0 ? " (running neither query)" : $" (running {string.Join(" and ", queries)})";
    }

    private static string? SiloOf(StreamingQuery query) =>
        query.Status.StartsWith("Running on ", StringComparison.Ordinal) ? query.Status["Running on ".Length..] : null;

    /// <summary>A query that failed for good ends the soak at once, with its error.</summary>
    private static void FailIfFailed(SoakPipeline pipeline)
    {
        foreach (var query in new[] { pipeline.Bronze, pipeline.Totals })
        {
            if (!query.IsActive && query.Exception is { } failure)
            {
                throw new InvalidOperationException($"{query.Name} failed: {failure.Message}", failure);
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
