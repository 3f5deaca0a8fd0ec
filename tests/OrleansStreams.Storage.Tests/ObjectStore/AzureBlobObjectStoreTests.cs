using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.ObjectStore;

/// <summary>
/// The contract against Azurite, reached the way users reach it: an abfss:// URI for the
/// devstoreaccount1 account, resolved to Azurite's endpoint through the configured connection string.
/// </summary>
public sealed class AzureBlobObjectStoreTests : ObjectStoreContractTests, IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;
    private readonly ObjectStoreFactory _factory;

    public AzureBlobObjectStoreTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _factory = new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString });
        Store = _factory.Create($"abfss://contract@devstoreaccount1.dfs.core.windows.net/run-{Guid.NewGuid():N}");
    }

    protected override IObjectStore Store { get; }

    [Fact]
    public void The_abfss_location_resolves_to_the_Azurite_endpoint()
    {
        Assert.StartsWith($"{_azurite.BlobEndpoint}/contract/run-", Store.Root, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_container_lists_empty_and_is_created_on_the_first_writeAsync()
    {
        var container = $"fresh{Guid.NewGuid():N}"[..30];
        var store = _factory.Create($"abfss://{container}@devstoreaccount1.dfs.core.windows.net/");

        Assert.Null(await store.GetPropertiesAsync("x.txt"));
        await foreach (var _ in store.ListAsync(""))
        {
            Assert.Fail("a missing container must list as empty");
        }

        await store.WriteAsync("x.txt", Bytes("x"));
        Assert.Equal("x", Text(await store.ReadAllAsync("x.txt")));
    }

    [Fact]
    public async Task Stores_on_the_same_container_see_each_other_through_different_URI_formsAsync()
    {
        var folder = $"shared-{Guid.NewGuid():N}";
        var viaAbfss = _factory.Create($"abfss://contract@devstoreaccount1.dfs.core.windows.net/{folder}");
        var viaPathStyle = _factory.Create($"{_azurite.BlobEndpoint}/contract/{folder}");

        await viaAbfss.WriteAsync("k.txt", Bytes("seen"));

        Assert.Equal("seen", Text(await viaPathStyle.ReadAllAsync("k.txt")));
    }
}
