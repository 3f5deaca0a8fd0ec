using System.Text;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;
using Xunit.Abstractions;

namespace OrleansStreams.Storage.Tests.ObjectStore;

/// <summary>
/// Blob writes, reads, listings and Delta commits through <see cref="FaultInjectingProxy"/> in front of Azurite: the
/// Azure SDK's retries get every request through, and writes whose response was lost are recognised as ours.
/// </summary>
public sealed class FaultInjectingProxyTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_kind_of_fault_is_injected_and_the_sdk_retries_through_themAsync()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(azurite.BlobEndpoint), FaultPlan.AllKinds(everyNth: 4, seed: 11));
        var factory = new ObjectStoreFactory(new StorageOptions { ConnectionString = proxy.ConnectionStringFor(azurite.ConnectionString) });
        var store = factory.Create($"abfss://faults@devstoreaccount1.dfs.core.windows.net/run-{Guid.NewGuid():N}");
        Assert.StartsWith(proxy.Endpoint, store.Root, StringComparison.Ordinal);

        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await store.PutIfAbsentOrSameAsync($"blobs/{i:D2}.txt", Encoding.UTF8.GetBytes($"blob {i}")));
        }

        var log = new DeltaLog(new ScopedObjectStore(store, "table"));
        await log.CreateTableAsync(MetadataAction.Create("""{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}"""));
        for (var i = 1; i <= 10; i++)
        {
            var file = new AddFile($"part-{i}.parquet", new Dictionary<string, string?>(), 100, 1_700_000_000_000);
            Assert.Equal(i, await log.CommitAsync(DeltaTransaction.Append([file])));
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"blob {i}", Encoding.UTF8.GetString(await store.ReadAllAsync($"blobs/{i:D2}.txt")));
        }

        proxy.Plan.Paused = true;
        var direct = new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString }).Create(store.Root.Replace(proxy.Endpoint, azurite.BlobEndpoint, StringComparison.Ordinal));
        var keys = new List<string>();
        await foreach (var page in direct.ListAsync(string.Empty))
        {
            keys.AddRange(page.Objects.Select(o => o.Key));
        }

        Assert.Equal(20, keys.Count(k => k.StartsWith("blobs/", StringComparison.Ordinal)));
        Assert.Equal(11, keys.Count(k => k.StartsWith("table/_delta_log/", StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)));
        Assert.Equal(10, (await new DeltaLog(new ScopedObjectStore(direct, "table")).GetSnapshotAsync()).ActiveFiles.Count);
        output.WriteLine(string.Join(", ", proxy.Injected.Select(p => $"{p.Key}={p.Value}")));
        Assert.All(proxy.Injected, p => Assert.True(p.Value > 0, $"no {p.Key} fault was injected"));
    }
}
