using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Delta tables on the local file system, each also read back by DuckDB alone.</summary>
public sealed class LocalDeltaTableTests : DeltaTableContractTests, IDisposable
{
    private readonly TempDirectory temp = new("delta-local");

    public void Dispose() => temp.Dispose();

    protected override IObjectStore NewTableStore() => new LocalFileObjectStore(temp.Combine($"t{Guid.NewGuid():N}"));

    protected override Task CheckIndependentlyAsync(IObjectStore store, IReadOnlyList<object?[]> expectedRows, StructType schema, IReadOnlyList<string> partitionColumns)
    {
        DuckDbTableCheck.AssertRows(store.Root, expectedRows, schema, partitionColumns);
        return Task.CompletedTask;
    }
}
