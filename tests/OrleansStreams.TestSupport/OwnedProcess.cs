using System.Diagnostics;
using System.Text;

namespace OrleansStreams.TestSupport;

/// <summary>
/// A child process a test started and owns: its stdout and stderr kept (the last 200 KB) for failure messages, and
/// killed with its whole tree when disposed.
/// </summary>
public sealed class OwnedProcess : IDisposable
{
    private const int KeptCharacters = 200_000;

    private readonly StringBuilder output = new();

    public OwnedProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        Process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            if (output.Length > KeptCharacters)
            {
                output.Remove(0, output.Length - KeptCharacters);
            }
        }
    }
}
