using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The grain storage provider's contract, in a state folder and in a checkpoint, on local files and on Azurite.</summary>
public abstract class GrainStorageContractTests
{
    protected abstract ObjectStoreFactory Stores { get; }

    protected abstract IObjectStore NewRoot();

    /// <summary>A storage and the grain whose state it keeps: any grain in a folder, or a grain keyed by its checkpoint.</summary>
    private (ObjectStoreGrainStorage Storage, GrainId Grain) NewStorage(bool inCheckpoint)
    {
        var root = NewRoot();
        return inCheckpoint ? (ObjectStoreGrainStorage.InCheckpoint(Stores), GrainId.Create("query", root.Root)) : (ObjectStoreGrainStorage.InFolder(root), Grain);
    }

    public sealed class Counter
    {
        public int Value { get; set; }

        public string? Note { get; set; }
    }

    private static readonly GrainId Grain = GrainId.Create("counter", "checkpoint/with spaces?");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task State_round_trips_with_an_etag_and_a_stale_write_is_refusedAsync(bool inCheckpoint)
    {
        var (storage, grain) = NewStorage(inCheckpoint);
        var first = new GrainState<Counter>();
        await storage.ReadStateAsync("state", grain, first);
        Assert.False(first.RecordExists);

        first.State!.Value = 1;
        await storage.WriteStateAsync("state", grain, first);
        var second = new GrainState<Counter>();
        await storage.ReadStateAsync("state", grain, second);
        second.State!.Value = 2;
        await storage.WriteStateAsync("state", grain, second);
        first.State.Value = 3;

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", grain, first));
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("state", grain, read);
        Assert.Equal(2, read.State!.Value);
        Assert.True(read.RecordExists);
        if (inCheckpoint)
        {
            Assert.NotNull(await Stores.Create(grain.Key.ToString()!).GetPropertiesAsync("_grains/state.json"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_first_writes_cannot_both_winAsync(bool inCheckpoint)
    {
        var (storage, grain) = NewStorage(inCheckpoint);
        var a = new GrainState<Counter> { State = new Counter { Value = 1 } };
        var b = new GrainState<Counter> { State = new Counter { Value = 2 } };

        await storage.WriteStateAsync("state", grain, a);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", grain, b));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clear_removes_the_stateAsync(bool inCheckpoint)
    {
        var (storage, grain) = NewStorage(inCheckpoint);
        var state = new GrainState<Counter> { State = new Counter { Value = 5, Note = "x" } };
        await storage.WriteStateAsync("state", grain, state);

        await storage.ClearStateAsync("state", grain, state);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("state", grain, read);

        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Value);
    }
}

public sealed class LocalGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private readonly TempDirectory temp = new("grain-storage");

    public void Dispose() => temp.Dispose();

    protected override ObjectStoreFactory Stores { get; } = new(new StorageOptions());

    protected override IObjectStore NewRoot() => new LocalFileObjectStore(temp.Combine(Guid.NewGuid().ToString("N")));
}

public sealed class AzuriteGrainStorageTests(AzuriteFixture azurite) : GrainStorageContractTests, IClassFixture<AzuriteFixture>
{
    protected override ObjectStoreFactory Stores { get; } = new(new StorageOptions { ConnectionString = azurite.ConnectionString });

    protected override IObjectStore NewRoot() => Stores.Create($"abfss://state@devstoreaccount1.dfs.core.windows.net/g{Guid.NewGuid():N}");
}
