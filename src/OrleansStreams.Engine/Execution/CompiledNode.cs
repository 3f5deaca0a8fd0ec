namespace OrleansStreams.Engine.Execution;

/// <summary>An operator with the scope its output columns are seen in by the operators above.</summary>
internal sealed record CompiledNode(PhysicalOperator Operator, ColumnScope Scope)
{
    public CompiledNode(PhysicalOperator op)
        : this(op, ColumnScope.Unqualified(op.Schema))
    {
    }
}
