using System.CommandLine;

namespace OrleansStreams.Cli.Commands;

/// <summary><c>orleans-streams tables</c>: the warehouse's tables.</summary>
internal static class TablesCommand
{
    public static Command Create(CliOptions options)
    {
        var command = new Command("tables", "List the tables of the warehouse");
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = options.Settings(result).CreateSession();
            await new TableCatalog(session, console).ListAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
