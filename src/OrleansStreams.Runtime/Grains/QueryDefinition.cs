namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Everything needed to (re)build a streaming query anywhere in the cluster: the plan as JSON and the
/// writeStream settings. Kept in the query grain's state, so a query survives the silo that ran it.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record QueryDefinition
{
    [Id(0)] public required string PlanJson { get; init; }

    /// <summary>append, complete or update.</summary>
    [Id(1)] public required string OutputMode { get; init; }

    /// <summary>default, processingTime, availableNow, once, continuous or manual.</summary>
    [Id(2)] public required string Trigger { get; init; }

    [Id(3)] public long TriggerIntervalMs { get; init; }

    /// <summary>A catalog table name (<see cref="SinkIsTable"/>) or a Delta table location.</summary>
    [Id(4)] public required string Sink { get; init; }

    [Id(5)] public bool SinkIsTable { get; init; }

    [Id(6)] public string[] PartitionBy { get; init; } = [];

    [Id(7)] public bool MergeSchema { get; init; }

    [Id(8)] public required string CheckpointLocation { get; init; }

    [Id(9)] public required string Warehouse { get; init; }

    [Id(10)] public string? QueryName { get; init; }

    /// <summary>Restart the query when its source records a wider schema (Auto Loader's addNewColumns) instead of failing.</summary>
    [Id(13)] public bool RestartOnSchemaChange { get; init; }

    /// <summary>The session time zone (spark.sql.session.timeZone) the query's expressions and file reads use.</summary>
    [Id(14)] public string TimeZone { get; init; } = "UTC";

    /// <summary>
    /// Aggregation grains per stateful query (spark.sql.shuffle.partitions) for a new checkpoint; a checkpoint
    /// that has state keeps the count it started with, as in Spark.
    /// </summary>
    [Id(15)] public int ShufflePartitions { get; init; } = ShufflePartitionCount.Default;
}
