using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Client.Pipelines;

public enum PipelineTableState
{
    /// <summary>Waiting for the tables it reads: to finish (AvailableNow, Once) or to commit a first batch (other triggers).</summary>
    Waiting,
    Running,
    Completed,
    Stopped,
    Failed,

    /// <summary>Not started because a table it reads failed or the run was stopped first.</summary>
    Skipped,
}

/// <summary>One table of a running pipeline: its state and, once started, its streaming query.</summary>
public sealed class PipelineTableRun(PipelineTable table, string checkpointLocation)
{
    private volatile PipelineTableState state = PipelineTableState.Waiting;

    public PipelineTable Table { get; } = table;

    public string CheckpointLocation { get; } = checkpointLocation;

    public PipelineTableState State
    {
        get => state;
        internal set => state = value;
    }

    public StreamingQuery? Query { get; internal set; }

    public Exception? Error { get; internal set; }

    /// <summary>Why the table is in its state, when that needs saying (e.g. why it was skipped).</summary>
    public string? Detail { get; internal set; }

    /// <summary>Rows read by the batches of this run.</summary>
    public long InputRows => Query?.RecentProgress.Sum(p => p.NumInputRows) ?? 0;
}
