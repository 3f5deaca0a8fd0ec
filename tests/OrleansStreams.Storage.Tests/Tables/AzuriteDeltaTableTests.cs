using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>
/// The same Delta table suite on Azure Blob Storage (Azurite), through an abfss:// location; DuckDB (offline, no
/// Azure extension) reads a local copy of every blob of the table.
/// </summary>
public sealed class AzuriteDeltaTableTests(AzuriteFixture azurite) : DeltaTableContractTests, IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly ObjectStoreFactory factory = new(new StorageOptions { ConnectionString = azurite.ConnectionString });
    private readonly TempDirectory copies = new("delta-azurite-copy");

    public void Dispose() => copies.Dispose();

    protected override IObjectStore NewTableStore() => factory.Create($"abfss://tables@devstoreaccount1.dfs.core.windows.net/t{Guid.NewGuid():N}");

    protected override async Task CheckIndependentlyAsync(IObjectStore store, IReadOnlyList<object?[]> expectedRows, StructType schema, IReadOnlyList<string> partitionColumns)
    {
        var folder = await LocalCopy.OfAsync(store, copies.Combine(Guid.NewGuid().ToString("N")));
        DuckDbTableCheck.AssertRows(folder, expectedRows, schema, partitionColumns);
    }
}
