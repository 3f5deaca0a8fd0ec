using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>Reads the needed columns of a source, passing the pushed-down filters along for skipping.</summary>
public sealed class ScanExec(StructType schema, IBatchSource source, ScanRequest request) : PhysicalOperator(schema)
{
    public ScanRequest Request => request;

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in source.ScanAsync(request, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }
}
