using System.CommandLine;
using OrleansStreams.Cli;
using OrleansStreams.Cli.Commands;

// orleans-streams: one file per command under Commands/; the cluster commands (silo, queries, status) join them there.
var options = new CliOptions();
var root = new RootCommand("OrleansStreams: Auto Loader ingestion, Structured Streaming and Delta tables on Orleans")
{
    options.Warehouse,
    options.Verbose,
    DemoCommand.Create(options),
    RunCommand.Create(options),
    SqlCommand.Create(options),
    TablesCommand.Create(options),
    DescribeCommand.Create(options),
    HistoryCommand.Create(options),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line per problem and where to look, instead of the whole help text.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine($"Run '{root.Name} {string.Join(' ', CommandPath(parsed.CommandResult.Command, root))} --help' for usage.".Replace("  ", " ", StringComparison.Ordinal));
    return CommandRunner.Usage;
}

return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

static IEnumerable<string> CommandPath(Command command, RootCommand root) => command == root ? [] : [command.Name];
