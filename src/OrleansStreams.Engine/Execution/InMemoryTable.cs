using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>Batches held in memory as a source (<c>createDataFrame</c>, tests, a static side loaded once).</summary>
public sealed class InMemoryTable(StructType schema, IReadOnlyList<RecordBatch> batches) : IBatchSource
{
    public StructType Schema => schema;

    public async IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var ordinals = request.Columns.Select(schema.IndexOf).ToArray();
        var arrowSchema = ArrowTypes.ToArrowSchema(new StructType(ordinals.Select(o => schema[o])));
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new RecordBatch(arrowSchema, ordinals.Select(batch.Column), batch.Length);
        }
    }
}
