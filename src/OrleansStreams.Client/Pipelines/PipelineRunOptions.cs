using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Client.Pipelines;

/// <summary>How a pipeline runs: the trigger every table uses and where checkpoints go.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>AvailableNow by default: process what is there, table by table in dependency order, then stop.</summary>
    public Trigger Trigger { get; init; } = Trigger.AvailableNow;

    /// <summary>Each table checkpoints at <c>&lt;root&gt;/&lt;table&gt;</c>; by default <c>&lt;warehouse&gt;/_checkpoints</c>.</summary>
    public string? CheckpointRoot { get; init; }
}
