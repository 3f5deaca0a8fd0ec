using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>Batches held in memory as a source (<c>createDataFrame</c>, tests, a static side loaded once).</summary>
public sealed class InMemoryTable(StructType schema, IReadOnlyList<RecordBatch> batches) : IBatchSource
{
    public StructType Schema => schema;

    public IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default) =>
        new StreamedTable(schema, batches.ToAsyncEnumerable()).ScanAsync(request, cancellationToken);
}
