using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// A streaming aggregation, compiled: the operator producing its input rows, the bound spec, and the
/// resolved expressions and input schema the spec was bound from (so another process can bind it again).
/// </summary>
public sealed record AggregateInput(
    PhysicalOperator Input,
    AggregationSpec Spec,
    IReadOnlyList<Expression> Grouping,
    IReadOnlyList<Expression> Aggregates,
    StructType InputSchema);
