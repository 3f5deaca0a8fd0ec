using System.CommandLine;

namespace OrleansStreams.Cli.Commands;

/// <summary><c>orleans-streams describe TABLE</c>: schema, partition columns, version, files and rows.</summary>
internal static class DescribeCommand
{
    public static Command Create(CliOptions options)
    {
        var table = new Argument<string>("TABLE") { Description = "The table (name or db.name)" };
        var command = new Command("describe", "Show a table's schema, partition columns, version, files and rows") { table };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = options.Settings(result).CreateSession();
            await new TableCatalog(session, console).DescribeAsync(result.GetRequiredValue(table), cancellationToken);
            return 0;
        });
        return command;
    }
}
