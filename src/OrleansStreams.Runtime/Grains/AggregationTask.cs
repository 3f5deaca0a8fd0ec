namespace OrleansStreams.Runtime.Grains;

/// <summary>One batch's rows for one aggregation partition, with what the partition needs to bind the aggregation.</summary>
[GenerateSerializer]
[Immutable]
public sealed record AggregationTask
{
    [Id(0)] public required long BatchId { get; init; }

    /// <summary>The grouping expressions, as ExpressionJson.</summary>
    [Id(1)] public required string[] Grouping { get; init; }

    /// <summary>The select list over the groups, as ExpressionJson.</summary>
    [Id(2)] public required string[] Aggregates { get; init; }

    /// <summary>The aggregation input's schema (Delta schema JSON).</summary>
    [Id(3)] public required string InputSchemaJson { get; init; }

    /// <summary>The partition's rows.</summary>
    [Id(4)] public required ArrowBatches Rows { get; init; }

    [Id(5)] public required string OutputMode { get; init; }

    [Id(6)] public long? Watermark { get; init; }

    /// <summary>The query's checkpoint; the partition keeps its state under <c>state/&lt;partition&gt;/</c>.</summary>
    [Id(7)] public required string CheckpointLocation { get; init; }

    [Id(8)] public required string TimeZone { get; init; }

    /// <summary>How the checkpoint's <c>approx_count_distinct</c> sketches hash (<see cref="Streaming.StateScheme"/>).</summary>
    [Id(9)] public Engine.Aggregation.SketchHash SketchHash { get; init; }

    /// <summary>The batch at which the checkpoint's state was rebuilt, if it was (<see cref="Streaming.StateScheme"/>).</summary>
    [Id(10)] public long? RebasedAt { get; init; }
}
