using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;

namespace OrleansStreams.Engine.Execution;

/// <summary>What compiling a plan needs from the session: its relations, functions and settings.</summary>
public sealed record ExecutionContext(IRelationProvider Relations, FunctionRegistry Functions, SessionConfig Session)
{
    public ExecutionContext(IRelationProvider relations)
        : this(relations, FunctionRegistry.Default, SessionConfig.Default)
    {
    }
}
