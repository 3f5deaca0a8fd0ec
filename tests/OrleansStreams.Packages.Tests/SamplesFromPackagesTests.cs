using System.Diagnostics;
using OrleansStreams.TestSupport;
using Xunit.Abstractions;

namespace OrleansStreams.Packages.Tests;

/// <summary>
/// A .NET team's view of the SDK: the packages packed into a local feed, the samples built from them outside the
/// repository, and run: the seed's pipelines embedded in a console app; an ASP.NET Core app hosting its own silo with
/// AddOrleansStreams, and a client app running a query on it. A package that does not restore, or lacks a type or a
/// grain the apps need, fails here.
/// </summary>
public sealed class SamplesFromPackagesTests(ITestOutputHelper output)
{
    [Fact]
    public void Samples_ask_for_the_version_the_packages_have()
    {
        Assert.Equal(SampleWorkspace.RepositoryVersion(), SampleWorkspace.SamplesDefaultVersion());
    }

    [Fact]
    public async Task Samples_build_and_run_from_the_packed_packagesAsync()
    {
        var watch = Stopwatch.StartNew();
        using var workspace = await SampleWorkspace.CreateAsync();
        var packed = watch.Elapsed;
        var embedded = await workspace.BuildAsync("EmbeddedPipelines");
        var siloApp = await workspace.BuildAsync("SiloApp");
        var client = await workspace.BuildAsync("ClusterClient");
        var built = watch.Elapsed;

        var pipelines = await workspace.Dotnet.RunDotnetAsync(embedded, Path.Combine(workspace.Work, "embedded"));
        Assert.True(pipelines.ExitCode == 0, pipelines.ToString());
        Assert.Contains("orders | 8", pipelines.Output, StringComparison.Ordinal);
        Assert.Contains("books | 4", pipelines.Output, StringComparison.Ordinal);
        Assert.Contains("Jane Austen | 3", pipelines.Output, StringComparison.Ordinal);
        Assert.Contains("Frank Herbert | 2", pipelines.Output, StringComparison.Ordinal);

        string[] cluster =
        [
            $"--OrleansStreams:Cluster:ClusterId=samples-{Guid.NewGuid():N}",
            $"--OrleansStreams:Cluster:SiloPort={FreePorts.Next()}",
            $"--OrleansStreams:Cluster:GatewayPort={FreePorts.Next()}",
        ];
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        using var silo = workspace.Dotnet.StartDotnet([siloApp, "--urls", url, $"--OrleansStreams:Silo:StateRoot={Path.Combine(workspace.Work, "state")}", .. cluster]);
        try
        {
            using var http = new HttpClient();
            await Polling.UntilAsync(
                async () => silo.HasExited || (await http.GetAsync(url)).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                () => $"the silo app did not answer at {url}:\n{CliProcess.OutputSoFar(silo)}");
            Assert.False(silo.HasExited, $"the silo app exited:\n{CliProcess.OutputSoFar(silo)}");

            var query = await workspace.Dotnet.RunDotnetAsync([client, Path.Combine(workspace.Work, "client"), .. cluster]);
            Assert.True(query.ExitCode == 0, query.ToString());
            Assert.Contains("click: 2", query.Output, StringComparison.Ordinal);
            Assert.Contains("view: 3", query.Output, StringComparison.Ordinal);
            Assert.Contains("cluster query: events_sample", query.Output, StringComparison.Ordinal);
        }
        finally
        {
            CliProcess.Terminate(silo);
            await CliProcess.WaitAsync(silo, CancellationToken.None);
        }

        // Reported with the test's output, to watch the time a CI run spends here.
        output.WriteLine($"packed in {packed.TotalSeconds:F0} s, samples built by {built.TotalSeconds:F0} s, run by {watch.Elapsed.TotalSeconds:F0} s");
    }
}
