using OrleansStreams.Engine.Common;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>When a streaming query runs its micro-batches (Spark's <c>trigger(...)</c>).</summary>
[GenerateSerializer]
[Immutable]
[System.Text.Json.Serialization.JsonConverter(typeof(TriggerJsonConverter))]
public abstract record Trigger
{
    /// <summary>The next batch as soon as the last one ends (and there is new data).</summary>
    public static readonly Trigger Default = new DefaultTrigger();

    /// <summary>Everything present at start, in as many batches as the rate limits need, then stop.</summary>
    public static readonly Trigger AvailableNow = new AvailableNowTrigger();

    /// <summary>One batch with whatever is available (up to the limits), then stop.</summary>
    public static readonly Trigger Once = new OnceTrigger();

    /// <summary>No batch runs by itself: only <c>ProcessAllAvailable()</c> runs them.</summary>
    public static readonly Trigger Manual = new ManualTrigger();

    /// <summary>A batch every <paramref name="interval"/> (a batch that overruns starts the next at once).</summary>
    public static Trigger ProcessingTime(TimeSpan interval) => new ProcessingTimeTrigger(interval);

    /// <summary><c>ProcessingTime("4 seconds")</c>.</summary>
    public static Trigger ProcessingTime(string interval) => new ProcessingTimeTrigger(IntervalText.Parse(interval, "processing-time interval"));

    /// <summary>
    /// Low-latency processing with a checkpoint every <paramref name="checkpointInterval"/>. Runs as
    /// back-to-back micro-batches polled at least that often (Spark's continuous engine is not reproduced).
    /// </summary>
    public static Trigger Continuous(TimeSpan checkpointInterval) => new ContinuousTrigger(checkpointInterval);

    public static Trigger Continuous(string checkpointInterval) => new ContinuousTrigger(IntervalText.Parse(checkpointInterval, "continuous checkpoint interval"));
}

[GenerateSerializer]
[Immutable]
public sealed record DefaultTrigger : Trigger;

[GenerateSerializer]
[Immutable]
public sealed record AvailableNowTrigger : Trigger;

[GenerateSerializer]
[Immutable]
public sealed record OnceTrigger : Trigger;

[GenerateSerializer]
[Immutable]
public sealed record ManualTrigger : Trigger;

[GenerateSerializer]
[Immutable]
public sealed record ProcessingTimeTrigger([property: Id(0)] TimeSpan Interval) : Trigger;

[GenerateSerializer]
[Immutable]
public sealed record ContinuousTrigger([property: Id(0)] TimeSpan CheckpointInterval) : Trigger;
