using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// One <c>CREATE OR REFRESH STREAMING TABLE</c> of a pipeline: its plan (temp views of the pipeline already
/// inlined), the output mode Spark's rules give it, its partition columns, and the pipeline tables it reads.
/// </summary>
public sealed record PipelineTable(
    string Name,
    LogicalPlan Plan,
    OutputMode OutputMode,
    IReadOnlyList<string> PartitionBy,
    bool MergeSchema,
    IReadOnlyList<string> DependsOn,
    int Line);
