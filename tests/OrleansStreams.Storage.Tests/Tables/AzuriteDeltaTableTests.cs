using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>The same Delta table suite on Azure Blob Storage (Azurite), through an abfss:// location.</summary>
public sealed class AzuriteDeltaTableTests(AzuriteFixture azurite) : DeltaTableContractTests, IClassFixture<AzuriteFixture>
{
    private readonly ObjectStoreFactory factory = new(new StorageOptions { ConnectionString = azurite.ConnectionString });

    protected override IObjectStore NewTableStore() => factory.Create($"abfss://tables@devstoreaccount1.dfs.core.windows.net/t{Guid.NewGuid():N}");
}
