using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Batches read as a query consumes them, rather than held in memory: a micro-batch's new rows flowing from its
/// source to its sink. Each scan enumerates <paramref name="batches"/> again.
/// </summary>
public sealed class StreamedTable(StructType schema, IAsyncEnumerable<RecordBatch> batches) : IBatchSource
{
    public StructType Schema => schema;

    public async IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ordinals = request.Columns.Select(schema.IndexOf).ToArray();
        var arrowSchema = ArrowTypes.ToArrowSchema(new StructType(ordinals.Select(o => schema[o])));
        await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new RecordBatch(arrowSchema, ordinals.Select(batch.Column), batch.Length);
        }
    }
}
