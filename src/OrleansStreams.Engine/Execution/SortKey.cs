using OrleansStreams.Engine.Expressions.Bound;

namespace OrleansStreams.Engine.Execution;

/// <summary>One ORDER BY key, bound. Spark's default: nulls first when ascending, last when descending.</summary>
public sealed record SortKey(BoundExpression Expression, bool Ascending, bool NullsFirst);
