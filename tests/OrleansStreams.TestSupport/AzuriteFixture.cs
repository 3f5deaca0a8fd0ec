using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace OrleansStreams.TestSupport;

/// <summary>
/// Runs a private Azurite (blob, queue, table) for a test class or collection. Azurite comes from
/// infra/azurite (installed with <c>npm ci</c> from the committed lockfile when missing) and listens on
/// ports the OS picks, so test assemblies running in parallel each get their own. Start-up problems
/// fail the tests with Azurite's output; they are never skipped.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account and key (public, emulator-only).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private const int MaxCapturedChars = 64 * 1024;

    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private TempDirectory? _workspace;
    private Process? _process;

    public int BlobPort => Port("Blob");

    public int QueuePort => Port("Queue");

    public int TablePort => Port("Table");

    public string BlobEndpoint => $"http://127.0.0.1:{BlobPort}/{AccountName}";

    /// <summary>The CPU time Azurite's process has used so far (for benches that say how busy the machine's cores were).</summary>
    public TimeSpan ProcessorTime => _process?.TotalProcessorTime ?? TimeSpan.Zero;

    /// <summary>Keep blobs, queues and tables in Azurite's memory instead of its data folder (for benchmarks: no disk writes per request).</summary>
    public bool InMemoryPersistence { get; init; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Starts an Azurite for <paramref name="body"/> alone (a bench or a command, outside xunit's fixtures) and stops it after.</summary>
    public static async Task<T> RunAsync<T>(Func<AzuriteFixture, Task<T>> body, bool inMemoryPersistence = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var azurite = new AzuriteFixture { InMemoryPersistence = inMemoryPersistence };
        await azurite.InitializeAsync().ConfigureAwait(false);
        try
        {
            return await body(azurite).ConfigureAwait(false);
        }
        finally
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task InitializeAsync()
    {
        var azuriteFolder = Path.Combine(RepoRoot.Find(), "infra", "azurite");
        await EnsureInstalledAsync(azuriteFolder).ConfigureAwait(false);

        _workspace = new TempDirectory("azurite");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workspace.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(azuriteFolder, "node_modules", "azurite", "dist", "src", "azurite.js"));
        start.ArgumentList.Add(InMemoryPersistence ? "--inMemoryPersistence" : "--location");
        if (!InMemoryPersistence)
        {
            start.ArgumentList.Add(_workspace.Path);
        }

        foreach (var argument in new[]
                 {
                     "--skipApiVersionCheck", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", "0",
                     "--queueHost", "127.0.0.1", "--queuePort", "0",
                     "--tableHost", "127.0.0.1", "--tablePort", "0",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _process = StartProcess(start, "Azurite");
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _listening.TrySetException(
            new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening.\n{CapturedOutput()}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        try
        {
            await _listening.Task.WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Azurite did not report all three services listening within {StartTimeout.TotalSeconds} s.\n{CapturedOutput()}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // already exited
            }

            process.Dispose();
        }

        _workspace?.Dispose();
    }

    /// <summary>Everything Azurite printed so far (the last 64 KB), for failure messages.</summary>
    public string CapturedOutput()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private int Port(string service)
    {
        lock (_output)
        {
            return _ports.TryGetValue(service, out var port)
                ? port
                : throw new InvalidOperationException("Azurite is not running: the fixture was not initialized or failed to start");
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxCapturedChars)
            {
                _output.Remove(0, _output.Length - MaxCapturedChars);
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                _ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                if (_ports.Count == 3)
                {
                    _listening.TrySetResult();
                }
            }
        }
    }

    /// <summary>Runs <c>npm ci</c> in infra/azurite once, guarded by a machine-wide lock so parallel test runs don't collide.</summary>
    private static async Task EnsureInstalledAsync(string azuriteFolder)
    {
        var launcher = Path.Combine(azuriteFolder, "node_modules", ".bin", "azurite");
        if (File.Exists(launcher) || File.Exists(launcher + ".cmd"))
        {
            return;
        }

        using var installLock = await AcquireInstallLockAsync().ConfigureAwait(false);
        if (File.Exists(launcher) || File.Exists(launcher + ".cmd"))
        {
            return; // another test run installed it while we waited
        }

        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = azuriteFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(argument);
        }

        using var process = StartProcess(npm, "npm (to install Azurite)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(InstallTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'npm ci' in {azuriteFolder} did not finish within {InstallTimeout.TotalMinutes} minutes");
        }

        if (process.ExitCode != 0 || !File.Exists(launcher) && !File.Exists(launcher + ".cmd"))
        {
            throw new InvalidOperationException(
                $"'npm ci' in {azuriteFolder} failed (exit code {process.ExitCode}).\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static async Task<FileStream> AcquireInstallLockAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "orleansstreams-azurite-install.lock");
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500).ConfigureAwait(false);
            }
        }
    }

    private static Process StartProcess(ProcessStartInfo start, string what)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"could not start {what}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"could not start {what}: '{start.FileName}' was not found. The Azurite tests need Node.js (node and npm on PATH).", e);
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at https?://[^\s:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
