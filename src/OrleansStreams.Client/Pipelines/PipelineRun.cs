using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// A pipeline running on a session. With AvailableNow or Once a table starts when every table it reads has
/// completed; with other triggers all tables run side by side until <see cref="StopAsync"/>. The first
/// failure stops the other tables and faults <see cref="Completion"/>.
/// </summary>
public sealed class PipelineRun
{
    private readonly StreamingSession session;
    private readonly Trigger trigger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, Task> finished = new(StringComparer.OrdinalIgnoreCase);
    private Exception? failure;

    internal PipelineRun(StreamingSession session, SqlPipeline pipeline, PipelineRunOptions options)
    {
        this.session = session;
        trigger = options.Trigger;
        Pipeline = pipeline;
        var root = (options.CheckpointRoot ?? $"{session.Options.Warehouse.TrimEnd('/', '\\')}/_checkpoints").TrimEnd('/', '\\');
        Tables = pipeline.Tables.Select(t => new PipelineTableRun(t, $"{root}/{SqlPipeline.Key(t.Name)}")).ToList();
    }

    /// <summary>The pipeline being run.</summary>
    public SqlPipeline Pipeline { get; }

    /// <summary>The tables in dependency order.</summary>
    public IReadOnlyList<PipelineTableRun> Tables { get; }

    /// <summary>Ends when every table has completed or stopped; faults with the first table's failure.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Stops the running tables (their checkpoints keep what they committed) and starts no more.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (PipelineException)
        {
            // reported through Completion
        }
    }

    internal void Start()
    {
        foreach (var table in Tables)
        {
            finished[SqlPipeline.Key(table.Table.Name)] = RunTableAsync(table);
        }

        Completion = FinishAsync();
    }

    private async Task FinishAsync()
    {
        await Task.WhenAll(finished.Values).ConfigureAwait(false);
        if (failure is not null)
        {
            throw failure;
        }
    }

    private async Task RunTableAsync(PipelineTableRun run)
    {
        if (PipelineTriggers.IsFinite(trigger))
        {
            // Reads of another table start from what that table holds once it has caught up.
            await Task.WhenAll(run.Table.DependsOn.Select(d => finished[d])).ConfigureAwait(false);
            foreach (var dependency in run.Table.DependsOn)
            {
                if (!stopping.IsCancellationRequested && !await TableExistsAsync(dependency).ConfigureAwait(false))
                {
                    run.State = PipelineTableState.Skipped;
                    run.Detail = $"{dependency} has no data yet";
                    return;
                }
            }
        }
        else
        {
            // Side by side: a table starts reading another once that one has committed its first batch.
            foreach (var dependency in run.Table.DependsOn)
            {
                while (!stopping.IsCancellationRequested && !await TableExistsAsync(dependency).ConfigureAwait(false))
                {
                    await Task.Delay(session.Options.PollInterval * 2, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        if (stopping.IsCancellationRequested)
        {
            run.State = PipelineTableState.Skipped;
            return;
        }

        try
        {
            // Files read without a schema: inferred, evolved into the table, and the query restarts on a new column.
            var (plan, infers) = PipelineSchemaLocations.Manage(session.InlineViews(run.Table.Plan), run.CheckpointLocation);
            run.Query = await new Engine.DataFrames.DataFrame(plan, session).WriteStream()
                .Trigger(trigger)
                .OutputMode(run.Table.OutputMode)
                .Option("checkpointLocation", run.CheckpointLocation)
                .Option("mergeSchema", run.Table.MergeSchema || infers)
                .RestartOnSchemaChange(infers)
                .PartitionBy([.. run.Table.PartitionBy])
                .QueryName(SqlPipeline.Key(run.Table.Name))
                .ToTableAsync(run.Table.Name, stopping.Token)
                .ConfigureAwait(false);
            run.State = PipelineTableState.Running;
            using (stopping.Token.Register(() => _ = run.Query.StopAsync()))
            {
                await run.Query.AwaitTerminationAsync(CancellationToken.None).ConfigureAwait(false);
            }

            run.State = stopping.IsCancellationRequested ? PipelineTableState.Stopped : PipelineTableState.Completed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (stopping.IsCancellationRequested && e is OperationCanceledException)
            {
                run.State = PipelineTableState.Skipped;
                return;
            }

            run.State = PipelineTableState.Failed;
            run.Error = e;
            var error = new PipelineException($"streaming table {run.Table.Name} failed: {Message(e)}", Pipeline.SourceName, run.Table.Line, inner: e);
            Interlocked.CompareExchange(ref failure, error, null);
            await stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether the table is in the catalog with a Delta log (its query's first batch has committed).</summary>
    private async Task<bool> TableExistsAsync(string name)
    {
        try
        {
            var entry = await session.Catalog.ResolveAsync(name).ConfigureAwait(false);
            return await new Storage.Delta.DeltaLog(session.Catalog.OpenStore(entry)).ExistsAsync().ConfigureAwait(false);
        }
        catch (Storage.Delta.TableNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The innermost message that says what went wrong (query wrappers add only the query's ids).</summary>
    private static string Message(Exception e) => e is StreamingQueryException { InnerException: { } inner } ? Message(inner) : e.Message;
}
