using System.CommandLine;
using OrleansStreams.Cli.Cluster;
using OrleansStreams.Cli.Output;

namespace OrleansStreams.Cli.Commands;

/// <summary><c>orleans-streams queries</c>: the streaming queries running on the cluster, with their last progress.</summary>
internal static class QueriesCommand
{
    public static Command Create(CliOptions options)
    {
        var all = new Option<bool>("--all") { Description = "Also the stopped and failed queries the cluster knows" };
        var format = new Option<QueryFormat>("--format") { Description = "table (default) or json (one object per query)", DefaultValueFactory = _ => QueryFormat.Table };
        var command = new Command("queries", "List the streaming queries running on the cluster (OrleansStreams:Cluster settings), with their last progress") { all, format };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = await ClusterSessions.ConnectAsync(options.Settings(result), cancellationToken);
            var known = await session.ListClusterQueryStatesAsync();
            var shown = result.GetValue(all) ? known : known.Where(q => q.Running).ToList();
            var writer = new ClusterQueryWriter(console);
            if (result.GetValue(format) == QueryFormat.Json)
            {
                writer.WriteJson(shown);
            }
            else if (shown.Count == 0)
            {
                console.Output.WriteLine(known.Count == 0 ? "no queries on the cluster" : $"no running queries ({known.Count} stopped: queries --all lists them)");
            }
            else
            {
                writer.WriteTable(shown);
            }

            return 0;
        });
        return command;
    }
}
