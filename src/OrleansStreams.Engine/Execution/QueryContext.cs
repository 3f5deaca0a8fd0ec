using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;

namespace OrleansStreams.Engine.Execution;

/// <summary>What compiling a plan needs from the session: its relations, functions and settings.</summary>
public sealed record QueryContext(IRelationProvider Relations, FunctionRegistry Functions, SessionConfig Session)
{
    public QueryContext(IRelationProvider relations)
        : this(relations, FunctionRegistry.Default, SessionConfig.Default)
    {
    }
}
