using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// Every template under bicep/ builds and lints clean with the Bicep CLI from its NuGet package (offline: Azure
/// types are bundled with the CLI), with bicepconfig.json raising every linter rule to an error; and the
/// compiled deployment holds no keys.
/// </summary>
public sealed partial class BicepTemplateTests : IDisposable
{
    private readonly TempDirectory output = new("bicep");
    private readonly string bicep = Path.Combine(RepoRoot.Find(), "bicep");

    public void Dispose() => output.Dispose();

    [Fact]
    public async Task Every_template_builds_and_lints_without_warningsAsync()
    {
        Assert.True(Directory.GetFiles(bicep, "*.bicep", SearchOption.AllDirectories).Length >= 6, "the templates are missing");

        var lint = await RunAsync("lint", "--pattern", "**/*.bicep", "--no-restore");
        Assert.True(lint.ExitCode == 0 && !Diagnostic().IsMatch(lint.Output), $"bicep lint:\n{lint.Output}");

        var build = await RunAsync("build", "--pattern", "**/*.bicep", "--no-restore", "--outdir", output.Path);
        Assert.True(build.ExitCode == 0 && !Diagnostic().IsMatch(build.Output), $"bicep build:\n{build.Output}");
        foreach (var template in Directory.GetFiles(bicep, "*.bicep", SearchOption.AllDirectories))
        {
            Assert.True(File.Exists(Path.Combine(output.Path, Path.ChangeExtension(Path.GetRelativePath(bicep, template), ".json"))), $"{template} was not built");
        }
    }

    [Fact]
    public async Task The_deployment_uses_no_keys_and_locks_the_storage_account_downAsync()
    {
        var build = await RunAsync("build", "main.bicep", "--no-restore", "--outfile", output.Combine("main.json"));
        Assert.True(build.ExitCode == 0, build.Output);
        var arm = await File.ReadAllTextAsync(output.Combine("main.json"));
        Assert.DoesNotContain("listKeys", arm, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", arm, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sharedKey", arm, StringComparison.Ordinal);

        var account = Resources(JsonNode.Parse(arm)!).Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts" && r["existing"] is null)["properties"]!;
        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.True((bool)account["isHnsEnabled"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
    }

    /// <summary>Resources of the template and of its nested module deployments.</summary>
    private static IEnumerable<JsonNode> Resources(JsonNode template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!),
            JsonObject map => map.Select(p => p.Value!),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"]?["template"] is { } nested)
            {
                foreach (var inner in Resources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var executable = typeof(BicepTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value
            ?? throw new InvalidOperationException("the test assembly does not name the Bicep CLI");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(executable) { WorkingDirectory = bicep, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A diagnostic line: <c>file(line,col) : Warning rule: …</c> or <c>: Error …</c>.</summary>
    [GeneratedRegex(@"\) : (Warning|Error|Info) ")]
    private static partial Regex Diagnostic();
}
