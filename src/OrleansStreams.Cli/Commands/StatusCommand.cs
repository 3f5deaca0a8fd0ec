using System.CommandLine;
using OrleansStreams.Cli.Cluster;
using OrleansStreams.Cli.Output;
using OrleansStreams.Runtime.Grains;

namespace OrleansStreams.Cli.Commands;

/// <summary><c>orleans-streams status [NAME]</c>: one cluster query's state and last progress, or every query's.</summary>
internal static class StatusCommand
{
    public static Command Create(CliOptions options)
    {
        var name = new Argument<string?>("NAME") { Description = "The query's name (a pipeline table's name); all queries when left out", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<QueryFormat>("--format") { Description = "table (default) or json (Spark's progress object under lastProgress)", DefaultValueFactory = _ => QueryFormat.Table };
        var command = new Command("status", "Show a cluster query's state and last progress (OrleansStreams:Cluster settings)") { name, format };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = await ClusterSessions.ConnectAsync(options.Settings(result), cancellationToken);
            var known = await session.ListClusterQueryStatesAsync();
            var writer = new ClusterQueryWriter(console);
            if (result.GetValue(name) is not { } wanted)
            {
                if (result.GetValue(format) == QueryFormat.Json)
                {
                    writer.WriteJson(known);
                }
                else if (known.Count == 0)
                {
                    console.Output.WriteLine("no queries on the cluster");
                }
                else
                {
                    writer.WriteTable(known);
                }

                return 0;
            }

            var query = ClusterQuery.Find(known, wanted) ?? throw new ArgumentException($"the cluster has no query named '{wanted}'; its queries: {(known.Count == 0 ? "none" : string.Join(", ", known.Select(q => q.Name)))}");
            if (result.GetValue(format) == QueryFormat.Json)
            {
                writer.WriteJson([query]);
            }
            else
            {
                writer.WriteDetails(query);
            }

            return 0;
        });
        return command;
    }
}
