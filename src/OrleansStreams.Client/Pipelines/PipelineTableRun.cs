using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Client.Pipelines;

/// <summary>Where a table of a running pipeline is.</summary>
public enum PipelineTableState
{
    /// <summary>Waiting for the tables it reads: to finish (AvailableNow, Once) or to commit a first batch (other triggers).</summary>
    Waiting,

    /// <summary>Its streaming query runs.</summary>
    Running,

    /// <summary>Its query ended by itself: everything available was processed (AvailableNow, Once).</summary>
    Completed,

    /// <summary>Its query was stopped with the run; the checkpoint keeps what it committed.</summary>
    Stopped,

    /// <summary>Its query failed; <see cref="PipelineTableRun.Error"/> says why.</summary>
    Failed,

    /// <summary>Not started because a table it reads failed or the run was stopped first.</summary>
    Skipped,
}

/// <summary>One table of a running pipeline: its state and, once started, its streaming query.</summary>
public sealed class PipelineTableRun(PipelineTable table, string checkpointLocation)
{
    private volatile PipelineTableState state = PipelineTableState.Waiting;

    /// <summary>The table as the pipeline declares it.</summary>
    public PipelineTable Table { get; } = table;

    /// <summary>The table's checkpoint: running the pipeline again continues from here.</summary>
    public string CheckpointLocation { get; } = checkpointLocation;

    /// <summary>Where the table is now.</summary>
    public PipelineTableState State
    {
        get => state;
        internal set => state = value;
    }

    /// <summary>The table's streaming query, once started.</summary>
    public StreamingQuery? Query { get; internal set; }

    /// <summary>Why the table failed, when it did.</summary>
    public Exception? Error { get; internal set; }

    /// <summary>Why the table is in its state, when that needs saying (e.g. why it was skipped).</summary>
    public string? Detail { get; internal set; }

    /// <summary>Rows read by the batches of this run.</summary>
    public long InputRows => Query?.RecentProgress.Sum(p => p.NumInputRows) ?? 0;
}
