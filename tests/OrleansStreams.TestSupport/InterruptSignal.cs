using System.Globalization;
using System.Runtime.InteropServices;

namespace OrleansStreams.TestSupport;

/// <summary>
/// Lets the commands a test starts receive Ctrl+C (SIGINT). A shell without job control starts a background job
/// (<c>dotnet test … &amp;</c>) with SIGINT ignored; that disposition is inherited through exec, the runtime leaves an
/// ignored SIGINT ignored, and a test's <see cref="CliProcess.Interrupt"/> would then never reach the command.
/// </summary>
internal static partial class InterruptSignal
{
    private const int SigInt = 2;
    private static readonly nint SigDfl = 0;
    private static readonly Lock Gate = new();
    private static bool done;

    /// <summary>When this process ignores SIGINT, sets it back to the default so that children inherit the default.</summary>
    public static void InheritDefault()
    {
        lock (Gate)
        {
            if (done || !OperatingSystem.IsLinux())
            {
                return;
            }

            done = true;
            // Only an ignored SIGINT is changed: a handled one is the runtime's own, and children get the default anyway.
            if (IgnoredSignals() is { } ignored && (ignored & (1UL << (SigInt - 1))) != 0)
            {
                Signal(SigInt, SigDfl);
            }
        }
    }

    private static ulong? IgnoredSignals()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is null ? null : ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static partial nint Signal(int signal, nint handler);
}
