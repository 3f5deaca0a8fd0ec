using System.Diagnostics;
using Microsoft.Playwright;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// Headless Chromium for the browser tests: Debian's package, which infra/chromium/install.sh finds or installs
/// (Playwright's own browser download is never used). When no browser can be had the tests fail, saying why.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = await InstallAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }

    /// <summary>The browser's path, as the install script prints it (installing it first when missing).</summary>
    private static async Task<string> InstallAsync()
    {
        var script = Path.Combine(RepoRoot.Find(), "infra", "chromium", "install.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} did not install Chromium within 10 minutes: {await errors}");
        }

        var path = (await output).Trim().Split('\n')[^1].Trim();
        if (process.ExitCode != 0 || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"the streams UI browser tests need Chromium and {script} could not provide it (exit {process.ExitCode}): {(await errors).Trim()}");
        }

        return path;
    }
}
