using System.CommandLine;
using OrleansStreams.Cli;
using OrleansStreams.Cli.Commands;

// orleans-streams: one file per command under Commands/.
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
    SiloCommand.Create(options),
    QueriesCommand.Create(options),
    StatusCommand.Create(options),
    QueryLifecycleCommands.Stop(options),
    QueryLifecycleCommands.Start(options),
    QueryLifecycleCommands.Restart(options),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // The first problem (the ones after it usually follow from it) and the command's help, not the whole help text.
    var help = string.Join(' ', new[] { root.Name, parsed.CommandResult.Command == root ? null : parsed.CommandResult.Command.Name, "--help" }.OfType<string>());
    Console.Error.WriteLine($"error: {parsed.Errors[0].Message.TrimEnd('.')} (see '{help}')");

    return CommandRunner.Usage;
}

return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
