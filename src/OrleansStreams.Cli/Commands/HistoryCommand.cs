using System.CommandLine;

namespace OrleansStreams.Cli.Commands;

/// <summary><c>orleans-streams history TABLE</c>: the table's commits, newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliOptions options)
    {
        var table = new Argument<string>("TABLE") { Description = "The table (name or db.name)" };
        var command = new Command("history", "Show a table's commits (version, time, operation, parameters)") { table };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = options.Settings(result).CreateSession();
            await new TableCatalog(session, console).HistoryAsync(result.GetRequiredValue(table), cancellationToken);
            return 0;
        });
        return command;
    }
}
