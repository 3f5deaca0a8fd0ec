using System.CommandLine;
using OrleansStreams.Cli.Output;
using Spectre.Console;

namespace OrleansStreams.Cli;

/// <summary>Runs a command's body: exit code 0 on success, 1 with one line on stderr on failure, 130 when interrupted.</summary>
internal static class CommandRunner
{
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    public static void SetAction(Command command, CliOptions options, Func<ParseResult, CliConsole, CancellationToken, Task<int>> body) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            var console = CliConsole.Create();
            try
            {
                return await body(result, console, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                console.Error.WriteLine("interrupted");
                return Interrupted;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                console.Error.WriteLine($"error: {ErrorReport.Line(e)}");
                if (result.GetValue(options.Verbose))
                {
                    console.Error.WriteLine(e.ToString());
                }

                return Failed;
            }
        });
}

/// <summary>The output streams of one invocation: Spectre for people, plain writers for machine formats and errors.</summary>
internal sealed class CliConsole(IAnsiConsole ansi, TextWriter output, TextWriter error)
{
    public IAnsiConsole Ansi { get; } = ansi;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when a person watches a terminal (live displays redraw); false when output goes to a file or pipe.</summary>
    public bool Interactive => Ansi.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public static CliConsole Create()
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            ansi.Profile.Width = 160; // a pipe has no width; keep tables on one line per row
        }

        return new CliConsole(ansi, Console.Out, Console.Error);
    }
}
