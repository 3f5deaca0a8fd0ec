using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace OrleansStreams.TestSupport;

/// <summary>What one run of the command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The JSON objects of <c>--format json</c> output, one per line.</summary>
    public List<JsonObject> JsonRows() =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the orleans-streams command built beside the tests (the same configuration, under src/OrleansStreams.Cli/bin)
/// as <c>dotnet orleans-streams.dll</c> in a working folder of the test's choosing.
/// </summary>
public sealed partial class CliProcess(string workingDirectory)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, string?> environment = new(StringComparer.Ordinal);

    public static string Dll
    {
        get
        {
            // .../tests/OrleansStreams.Cli.Tests/bin/<Configuration>/<tfm>/
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfm.Parent!.Name;
            return Path.Combine(RepoRoot.Find(), "src", "OrleansStreams.Cli", "bin", configuration, tfm.Name, "orleans-streams.dll");
        }
    }

    public string WorkingDirectory { get; } = workingDirectory;

    public CliProcess With(string variable, string? value)
    {
        environment[variable] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        return await WaitAsync(process, CancellationToken.None);
    }

    /// <summary>Starts the command and returns it running; <see cref="InterruptAsync"/> sends it Ctrl+C.</summary>
    public Process Start(params string[] arguments) => StartDotnet([Dll, .. arguments]);

    /// <summary>Runs <c>dotnet</c> itself with these arguments (<c>build</c>, <c>pack</c>, another app's dll) to its end.</summary>
    public async Task<CliResult> RunDotnetAsync(params string[] arguments)
    {
        using var process = StartDotnet(arguments);
        return await WaitAsync(process, CancellationToken.None);
    }

    /// <summary>Starts <c>dotnet</c> itself with these arguments and returns it running.</summary>
    public Process StartDotnet(params string[] arguments)
    {
        InterruptSignal.InheritDefault();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (error)
                {
                    error.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Outputs[process] = (output, error);
        return process;
    }

    /// <summary>What the process printed so far.</summary>
    public static string OutputSoFar(Process process)
    {
        var output = Outputs[process].Output;
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static void Interrupt(Process process) => Assert.Equal(0, Kill(process.Id, 2));

    /// <summary>Sends SIGTERM, as a service manager or a container runtime stopping it does.</summary>
    public static void Terminate(Process process) => Assert.Equal(0, Kill(process.Id, 15));

    public static async Task<CliResult> WaitAsync(Process process, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', process.StartInfo.ArgumentList)} did not finish within {Timeout}:\n{OutputSoFar(process)}");
        }

        var (output, error) = Outputs[process];
        Outputs.Remove(process, out _);
        return new CliResult(process.ExitCode, output.ToString(), error.ToString());
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, (StringBuilder Output, StringBuilder Error)> Outputs = new();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
