using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.DataFrames;

/// <summary>
/// What a DataFrame needs from the session that made it: resolving a plan's schema and
/// registering temp views. The SDK's session implements it; tests can use the engine's own.
/// </summary>
public interface IDataFrameSession
{
    /// <summary>The output schema of a plan; throws the analyzer's error when the plan is invalid.</summary>
    StructType ResolveSchema(LogicalPlan plan);

    /// <summary>Registers (or replaces) a session-scoped temp view.</summary>
    void CreateOrReplaceTempView(string name, LogicalPlan plan);
}
