using System.Text.Json.Nodes;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Checkpoint log entries and grain state whose write landed but whose response was lost, so the storage client's
/// retry met the object it had just written (409 / 412): the bytes there are ours, so the write succeeded.
/// </summary>
public sealed class LostWriteResponseTests : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("counter", "lost-response");

    private readonly TempDirectory temp = new("lost-response");

    public void Dispose() => temp.Dispose();

    public sealed class Counter
    {
        public int Value { get; set; }
    }

    [Fact]
    public async Task A_checkpoint_entry_whose_response_was_lost_is_ours_and_another_runs_entry_is_notAsync()
    {
        var inner = new LocalFileObjectStore(temp.Combine("checkpoint"));
        var lossy = new LostResponseObjectStore(inner, _ => true);
        var log = new CheckpointLog(lossy, "offsets");

        Assert.True(await log.TryAddAsync(0, new JsonObject { ["start"] = 0, ["end"] = 5 }, CancellationToken.None));
        Assert.False(await log.TryAddAsync(0, new JsonObject { ["start"] = 0, ["end"] = 7 }, CancellationToken.None));

        Assert.Equal(1, lossy.LostResponses);
        Assert.Equal(5, (int)(await new CheckpointLog(inner, "offsets").GetAsync(0, CancellationToken.None))!["end"]!);
        Assert.Equal(0, await log.LatestAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Grain_state_writes_whose_responses_were_lost_adopt_the_new_etagAsync()
    {
        var inner = new LocalFileObjectStore(temp.Combine("state"));
        var lossy = new LostResponseObjectStore(inner, _ => true);
        var storage = ObjectStoreGrainStorage.InFolder(lossy);
        var state = new GrainState<Counter> { State = new Counter { Value = 1 } };

        await storage.WriteStateAsync("state", Grain, state);
        state.State.Value = 2;
        await storage.WriteStateAsync("state", Grain, state);

        Assert.Equal(2, lossy.LostResponses);
        var read = new GrainState<Counter>();
        await ObjectStoreGrainStorage.InFolder(inner).ReadStateAsync("state", Grain, read);
        Assert.Equal(2, read.State!.Value);
        Assert.Equal(read.ETag, state.ETag);

        // The adopted ETag is the live one: the next write through a healthy store is accepted.
        state.State.Value = 3;
        await ObjectStoreGrainStorage.InFolder(inner).WriteStateAsync("state", Grain, state);
    }

    [Fact]
    public async Task A_stale_grain_state_write_is_still_refused_when_responses_are_lostAsync()
    {
        var inner = new LocalFileObjectStore(temp.Combine("stale"));
        var storage = ObjectStoreGrainStorage.InFolder(new LostResponseObjectStore(inner, _ => true));
        var first = new GrainState<Counter> { State = new Counter { Value = 1 } };
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
    }

    [Fact]
    public async Task A_catalog_registration_whose_response_was_lost_is_ours_and_a_second_registration_is_refusedAsync()
    {
        var inner = new LocalFileObjectStore(temp.Combine("warehouse"));
        var lossy = new LostResponseObjectStore(inner, key => key.StartsWith("_catalog/", StringComparison.Ordinal));
        var catalog = new DeltaCatalog(lossy);

        var created = await catalog.CreateAsync("events");

        Assert.Equal(1, lossy.LostResponses);
        Assert.Equal(created.Location, (await new DeltaCatalog(inner).ResolveAsync("events")).Location);
        await Assert.ThrowsAsync<DeltaTableExistsException>(() => catalog.CreateAsync("events"));
    }
}
