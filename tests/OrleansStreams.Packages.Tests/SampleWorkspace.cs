using System.Text.Json.Nodes;
using System.Xml.Linq;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Packages.Tests;

/// <summary>
/// The packages packed into a local folder feed and the samples copied beside it into a temp folder outside the
/// repository (so none of its Directory.Build.props applies), with a NuGet.config adding the feed to the machine's sources.
/// </summary>
public sealed class SampleWorkspace : IDisposable
{
    private readonly TempDirectory folder = new("orleansstreams-samples");

    private SampleWorkspace(string version)
    {
        Version = version;
        Dotnet = new CliProcess(folder.Path);
        // The test host's MSBuild variables would point the child builds at the test run's MSBuild instance.
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)))
        {
            Dotnet.With(name, null);
        }

        Dotnet.With("DOTNET_CLI_TELEMETRY_OPTOUT", "1").With("DOTNET_NOLOGO", "1");
    }

    /// <summary>The packages' version in this run: the repository's with a unique suffix, so no cached package of an older build is restored.</summary>
    public string Version { get; }

    public string Feed => folder.Combine("feed");

    public string Samples => folder.Combine("samples");

    public string Work => folder.Combine("work");

    /// <summary>Runs <c>dotnet</c> in the workspace, without the test host's MSBuild settings.</summary>
    public CliProcess Dotnet { get; }

    /// <summary>The version every package gets (src/Directory.Build.props).</summary>
    public static string RepositoryVersion() =>
        XDocument.Load(Path.Combine(RepoRoot.Find(), "src", "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    /// <summary>The version the samples ask for when not told (samples/Directory.Packages.props).</summary>
    public static string SamplesDefaultVersion() =>
        XDocument.Load(Path.Combine(RepoRoot.Find(), "samples", "Directory.Packages.props")).Descendants("OrleansStreamsVersion").Single().Value;

    public static async Task<SampleWorkspace> CreateAsync()
    {
        var workspace = new SampleWorkspace($"{RepositoryVersion()}-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid():N}"[..40].TrimEnd('.'));
        try
        {
            await workspace.PackAsync();
            workspace.CopySamples();
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>Builds a sample against the feed and returns its dll.</summary>
    public async Task<string> BuildAsync(string sample)
    {
        var project = Path.Combine(Samples, sample);
        var result = await Dotnet.RunDotnetAsync("build", project, "-c", "Release", "--disable-build-servers", $"-p:OrleansStreamsVersion={Version}");
        Assert.True(result.ExitCode == 0, $"the {sample} sample does not build from the packages:\n{result}");
        return Path.Combine(project, "bin", "Release", "net10.0", $"{sample}.dll");
    }

    private async Task PackAsync()
    {
        // The configuration the tests were built in: the packed projects are then up to date and only packed.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var result = await Dotnet.RunDotnetAsync(
            "pack", LibrariesFilter(), "-c", configuration, "-o", Feed, "--disable-build-servers", $"-p:PackageVersion={Version}");
        Assert.True(result.ExitCode == 0, $"dotnet pack failed:\n{result}");
        string[] expected = ["Engine", "Storage", "Runtime", "Clustering", "Client"];
        var missing = expected.Where(name => !File.Exists(Path.Combine(Feed, $"OrleansStreams.{name}.{Version}.nupkg"))).ToList();
        Assert.True(missing.Count == 0, $"dotnet pack made no package of {string.Join(", ", missing)}:\n{result}");
    }

    /// <summary>
    /// packages.slnf without the CLI tool, which the samples do not use and whose pack (a publish of the command and the
    /// silo host) would double the time: a solution filter in the workspace naming the library projects.
    /// </summary>
    private string LibrariesFilter()
    {
        var root = RepoRoot.Find();
        var packages = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "packages.slnf")))!["solution"]!;
        var libraries = packages["projects"]!.AsArray().Select(p => p!.GetValue<string>()).Where(p => !p.StartsWith("src/OrleansStreams.Cli/", StringComparison.Ordinal));
        var filter = folder.Combine("libraries.slnf");
        File.WriteAllText(filter, new JsonObject
        {
            ["solution"] = new JsonObject
            {
                ["path"] = Path.Combine(root, packages["path"]!.GetValue<string>()),
                ["projects"] = new JsonArray([.. libraries.Select(p => JsonValue.Create(p))]),
            },
        }.ToJsonString());
        return filter;
    }

    private void CopySamples()
    {
        var source = Path.Combine(RepoRoot.Find(), "samples");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(Samples, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // The feed beside the machine's own sources (no <clear/>), as a team adding a private feed would.
        File.WriteAllText(Path.Combine(Samples, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="orleans-streams-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        Directory.CreateDirectory(Work);
    }

    public void Dispose()
    {
        folder.Dispose();
        // The run's unique version is of no use to anyone once the test is over.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Directory.Exists(packages) ? Directory.EnumerateDirectories(packages, "orleansstreams.*") : [])
        {
            var cached = Path.Combine(package, Version.ToLowerInvariant());
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }
}
