using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Writes rows in a table's logical schema as its data files: under column mapping the columns, partition folders,
/// partition values and stats go out under their physical names (and field ids); <see cref="PartitionedFileWriter"/>
/// lays the files out. Every writer of data files (appends, overwrites, OPTIMIZE) goes through here.
/// </summary>
internal sealed class TableFileWriter : IAsyncDisposable
{
    private readonly ColumnMapping mapping;
    private readonly StructType physicalSchema;
    private readonly PartitionedFileWriter writer;

    /// <param name="tableSchema">The logical schema of the rows: the snapshot's, or the merged one of a write that adds columns.</param>
    public TableFileWriter(IObjectStore store, DeltaSnapshot snapshot, StructType tableSchema, DataFileLayout layout)
    {
        mapping = ColumnMapping.For(snapshot);
        physicalSchema = mapping.ToPhysical(tableSchema);
        var physicalPartitions = snapshot.PartitionColumns.Select(c => mapping.PhysicalName(tableSchema.Get(c))).ToList();
        writer = new PartitionedFileWriter(store, physicalSchema, physicalPartitions, layout);
    }

    public Task AddAsync(RecordBatch logical, CancellationToken cancellationToken) =>
        writer.AddAsync(mapping.ToPhysical(logical, physicalSchema), cancellationToken);

    /// <summary>Closes every file; returns the files written, as add actions.</summary>
    public Task<IReadOnlyList<AddFile>> FinishAsync(CancellationToken cancellationToken) => writer.FinishAsync(cancellationToken);

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
