using System.CommandLine;
using System.Globalization;
using OrleansStreams.Cli.Cluster;
using OrleansStreams.Client;

namespace OrleansStreams.Cli.Commands;

/// <summary>
/// <c>orleans-streams stop|start|restart NAME</c>: a cluster query's lifecycle. A stopped query never runs again until
/// started; start and restart run its registered definition from where its checkpoint left off.
/// </summary>
internal static class QueryLifecycleCommands
{
    public static Command Stop(CliOptions options) => Create(
        options, "stop", "Stop a cluster query: the running batch finishes (or is abandoned past OrleansStreams:Silo:BatchShutdownGrace, to be replayed), then it runs no more until started",
        async (session, name) =>
        {
            var status = await session.StopClusterQueryAsync(name);
            return string.Create(CultureInfo.InvariantCulture, $"stopped query '{name}' (last batch {status.LastBatchId})");
        });

    public static Command Start(CliOptions options) => Create(
        options, "start", "Start a stopped or failed cluster query again from its registered definition, where its checkpoint left off",
        async (session, name) => Started("started", name, await session.StartClusterQueryAsync(name)));

    public static Command Restart(CliOptions options) => Create(
        options, "restart", "Stop a cluster query and start it again (a new run on the same checkpoint)",
        async (session, name) => Started("restarted", name, await session.RestartClusterQueryAsync(name)));

    private static string Started(string verb, string name, Runtime.Streaming.StreamingQuery query) =>
        $"{verb} query '{name}' ({query.Status}, id {query.Id}, run {query.RunId})";

    private static Command Create(CliOptions options, string verb, string description, Func<StreamingSession, string, Task<string>> act)
    {
        var name = new Argument<string>("NAME") { Description = "The query's name (queries --all lists them)" };
        var command = new Command(verb, description) { name };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = await ClusterSessions.ConnectAsync(options.Settings(result), cancellationToken);
            console.Output.WriteLine(await act(session, result.GetValue(name)!));
            return 0;
        });
        return command;
    }
}
