using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The grain storage provider's contract, on local files and on Azurite.</summary>
public abstract class GrainStorageContractTests
{
    protected abstract IObjectStore NewRoot();

    public sealed class Counter
    {
        public int Value { get; set; }

        public string? Note { get; set; }
    }

    private static readonly GrainId Grain = GrainId.Create("counter", "checkpoint/with spaces?");

    [Fact]
    public async Task State_round_trips_with_an_etag_and_a_stale_write_is_refusedAsync()
    {
        var storage = new ObjectStoreGrainStorage(NewRoot());
        var first = new GrainState<Counter>();
        await storage.ReadStateAsync("state", Grain, first);
        Assert.False(first.RecordExists);

        first.State!.Value = 1;
        await storage.WriteStateAsync("state", Grain, first);
        var second = new GrainState<Counter>();
        await storage.ReadStateAsync("state", Grain, second);
        second.State!.Value = 2;
        await storage.WriteStateAsync("state", Grain, second);
        first.State.Value = 3;

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", Grain, first));
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("state", Grain, read);
        Assert.Equal(2, read.State!.Value);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Two_first_writes_cannot_both_winAsync()
    {
        var storage = new ObjectStoreGrainStorage(NewRoot());
        var a = new GrainState<Counter> { State = new Counter { Value = 1 } };
        var b = new GrainState<Counter> { State = new Counter { Value = 2 } };

        await storage.WriteStateAsync("state", Grain, a);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", Grain, b));
    }

    [Fact]
    public async Task Clear_removes_the_stateAsync()
    {
        var storage = new ObjectStoreGrainStorage(NewRoot());
        var state = new GrainState<Counter> { State = new Counter { Value = 5, Note = "x" } };
        await storage.WriteStateAsync("state", Grain, state);

        await storage.ClearStateAsync("state", Grain, state);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("state", Grain, read);

        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Value);
    }
}

public sealed class LocalGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private readonly TempDirectory temp = new("grain-storage");

    public void Dispose() => temp.Dispose();

    protected override IObjectStore NewRoot() => new LocalFileObjectStore(temp.Combine(Guid.NewGuid().ToString("N")));
}

public sealed class AzuriteGrainStorageTests(AzuriteFixture azurite) : GrainStorageContractTests, IClassFixture<AzuriteFixture>
{
    protected override IObjectStore NewRoot() =>
        new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString }).Create($"abfss://state@devstoreaccount1.dfs.core.windows.net/g{Guid.NewGuid():N}");
}
