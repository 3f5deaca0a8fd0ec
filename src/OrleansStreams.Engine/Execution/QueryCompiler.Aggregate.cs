using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>Aggregation, DISTINCT and dropDuplicates, on the incremental aggregation engine.</summary>
public sealed partial class QueryCompiler
{
    private CompiledNode CompileAggregate(Aggregate aggregate) =>
        throw new NotSupportedException("aggregation is not wired into the batch executor yet");

    private CompiledNode CompileDistinct(CompiledNode child) =>
        throw new NotSupportedException("DISTINCT is not wired into the batch executor yet");

    private CompiledNode CompileDeduplicate(Deduplicate dedupe) =>
        throw new NotSupportedException("dropDuplicates is not wired into the batch executor yet");
}
