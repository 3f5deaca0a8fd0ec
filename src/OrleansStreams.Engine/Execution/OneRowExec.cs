using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>One row with no columns: what <c>SELECT 1</c> (no FROM) projects over.</summary>
public sealed class OneRowExec() : PhysicalOperator(StructType.Empty)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return new RecordBatch(new Schema.Builder().Build(), [], 1);
    }
}
