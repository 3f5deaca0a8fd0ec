using System.CommandLine;
using System.Globalization;
using OrleansStreams.Cli.Cluster;
using OrleansStreams.Cli.Output;
using OrleansStreams.Client.Pipelines;
using Spectre.Console;

namespace OrleansStreams.Cli.Commands;

/// <summary>
/// <c>orleans-streams run PIPELINE.sql</c>: runs the streaming tables a SQL file declares until they are done
/// (available-now, once) or Ctrl+C (processing-time, continuous), with live progress. With <c>--cluster</c> they run
/// on the configured cluster instead of an embedded silo: the command waits for finite triggers, and otherwise
/// returns once every table is submitted, leaving them running there. <c>--ui [PORT]</c> serves the streams UI of an embedded run while it runs.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliOptions options)
    {
        var file = new Argument<string>("PIPELINE.sql") { Description = "A SQL file of CREATE OR REFRESH STREAMING TABLE … AS SELECT … FROM STREAM … statements" };
        var trigger = new Option<string>("--trigger") { Description = PipelineTriggers.Accepted, DefaultValueFactory = _ => "available-now", HelpName = "TRIGGER" };
        var checkpointRoot = new Option<string?>("--checkpoint-root") { Description = "Checkpoints go to <root>/<table> (default <warehouse>/_checkpoints)", HelpName = "DIR" };
        var cluster = new Option<bool>("--cluster")
        {
            Description = "Submit the tables to the cluster of the OrleansStreams:Cluster settings, where they keep running; waits for available-now and once, returns after submitting otherwise",
        };
        var ui = StreamsUiOption.Create();
        var command = new Command("run", "Run the streaming tables of a SQL pipeline file") { file, trigger, checkpointRoot, cluster, ui };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            var settings = options.Settings(result, (CliSettings.CheckpointRootKey, result.GetValue(checkpointRoot)));
            var path = result.GetRequiredValue(file);
            var pipeline = SqlPipeline.Parse(await ReadAsync(path, cancellationToken), path);
            var onCluster = result.GetValue(cluster);
            if (onCluster && result.GetValue(ui) is not null)
            {
                throw new ArgumentException("--ui serves an embedded run's queries; a cluster's queries are on its silo hosts' /streams pages");
            }

            var runOptions = new PipelineRunOptions
            {
                Trigger = ParseTrigger(result.GetRequiredValue(trigger)),
                CheckpointRoot = onCluster ? ClusterSessions.ClusterPath(settings.CheckpointRoot) : settings.CheckpointRoot,
            };

            await using var session = onCluster ? await ClusterSessions.ConnectAsync(settings, cancellationToken) : settings.CreateSession();
            await using var streamsUi = await StreamsUiOption.StartAsync(result.GetValue(ui), session, console, cancellationToken);
            var run = session.RunPipeline(pipeline, runOptions, cancellationToken);
            var finite = PipelineTriggers.IsFinite(runOptions.Trigger);
            if (onCluster && !finite)
            {
                await new ProgressDisplay(console).ShowAsync($"{path} — {result.GetRequiredValue(trigger)}, submitting to the cluster", () => Rows(run), SubmittedAsync(run));
                WriteSummary(console, run);
                WriteWatchHint(console, run);
                return 0; // disposing the session detaches from the queries; they run on
            }

            var title = $"{path} — {result.GetRequiredValue(trigger)}{(onCluster ? " on the cluster" : string.Empty)}{(finite ? string.Empty : " (Ctrl+C stops)")}";
            await new ProgressDisplay(console).ShowAsync(title, () => Rows(run), run.Completion);
            WriteSummary(console, run);
            return finite && cancellationToken.IsCancellationRequested && run.Tables.Any(t => t.State != PipelineTableState.Completed) ? CommandRunner.Interrupted : 0;
        });
        return command;
    }

    /// <summary>
    /// Ends when every table's query has started on the cluster (a table reading another starts once that one has
    /// committed its first batch), or with the first failure.
    /// </summary>
    private static async Task SubmittedAsync(PipelineRun run)
    {
        while (!run.Completion.IsCompleted && run.Tables.Any(t => t.State == PipelineTableState.Waiting))
        {
            await Task.WhenAny(run.Completion, Task.Delay(100));
        }

        if (run.Completion.IsFaulted)
        {
            await run.Completion;
        }
    }

    private static void WriteWatchHint(CliConsole console, PipelineRun run)
    {
        var names = run.Tables.Select(t => t.Query?.Name).OfType<string>().ToList(); // the query names are the tables' catalog keys
        console.Output.WriteLine(names.Count == 1
            ? "Submitted 1 streaming table to the cluster; it keeps running there after this command exits."
            : $"Submitted {names.Count} streaming tables to the cluster; they keep running there after this command exits.");
        console.Output.WriteLine("Watch them (with the same OrleansStreams:Cluster settings):");
        console.Output.WriteLine("  orleans-streams queries");
        foreach (var name in names)
        {
            console.Output.WriteLine($"  orleans-streams status {name} [--format json]");
        }

        console.Output.Flush();
    }

    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"pipeline file {path} does not exist", path);
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    private static Runtime.Streaming.Trigger ParseTrigger(string text)
    {
        try
        {
            return PipelineTriggers.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--trigger: {e.Message}", e);
        }
    }

    private static List<ProgressRow> Rows(PipelineRun run) =>
        run.Tables.Select(t => new ProgressRow(t.Table.Name, State(t), t.Query)).ToList();

    private static string State(PipelineTableRun table) => table.State switch
    {
        PipelineTableState.Waiting => $"waiting for {string.Join(", ", table.Table.DependsOn)}",
        var state => table.Detail is null ? state.ToString().ToLowerInvariant() : $"{state.ToString().ToLowerInvariant()}: {table.Detail}",
    };

    private static void WriteSummary(CliConsole console, PipelineRun run)
    {
        var summary = new Table().Border(TableBorder.Rounded).AddColumns("table", "output mode", "state", "batches", "input rows", "checkpoint");
        foreach (var table in run.Tables)
        {
            summary.AddRow(
                Markup.Escape(table.Table.Name),
                table.Table.OutputMode.ToString().ToLowerInvariant(),
                Markup.Escape(State(table)),
                (table.Query?.RecentProgress.Count ?? 0).ToString(CultureInfo.InvariantCulture),
                table.InputRows.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(table.CheckpointLocation));
        }

        console.Ansi.Write(summary);
    }
}
