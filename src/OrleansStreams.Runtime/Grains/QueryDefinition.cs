using System.Text.Json.Serialization;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Streaming;

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

    /// <summary>Persisted by name (Append, Complete, Update).</summary>
    [Id(1)]
    [JsonConverter(typeof(JsonStringEnumConverter<OutputMode>))]
    public required OutputMode OutputMode { get; init; }

    [Id(2)]
    public required Trigger Trigger { get; init; }

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

    /// <summary>Spark's maxRecordsPerFile writer option: most rows per data file of the sink, 0 for no limit.</summary>
    [Id(17)] public long MaxRecordsPerFile { get; init; }

    /// <summary>Whether a failed batch is retried after a pause instead of failing the query (off by default).</summary>
    [Id(16)] public QueryRetryPolicy Retry { get; init; } = QueryRetryPolicy.None;

    /// <summary>
    /// The interval of a definition persisted before triggers were typed, whose trigger was only its kind (read after
    /// it, as it was written after it). Never written.
    /// </summary>
#pragma warning disable ORLEANS0004 // JSON only: not part of the grain call
    [JsonInclude]
    [JsonPropertyName("triggerIntervalMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    private long LegacyTriggerIntervalMs
    {
        get => 0;
        init
        {
            if (value > 0 && TriggerJsonConverter.IntervalOf(Trigger) == TimeSpan.Zero)
            {
                Trigger = TriggerJsonConverter.FromKind(TriggerJsonConverter.KindOf(Trigger), TimeSpan.FromMilliseconds(value));
            }
        }
    }
#pragma warning restore ORLEANS0004
}
