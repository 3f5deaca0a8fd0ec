using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tests.Delta;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.ObjectStore;

/// <summary>Conditional writes that recognise their own landed write by its bytes.</summary>
public class OwnWritesTests
{
    [Fact]
    public async Task Put_if_absent_or_same_accepts_only_identical_bytesAsync()
    {
        var store = new InMemoryObjectStore();
        var lossy = new LostResponseObjectStore(store, _ => true);

        var written = await lossy.PutIfAbsentOrSameAsync("a", "one"u8.ToArray());
        var other = await lossy.PutIfAbsentOrSameAsync("a", "two"u8.ToArray());
        var longer = await lossy.PutIfAbsentOrSameAsync("a", "one!"u8.ToArray());

        Assert.NotNull(written);
        Assert.Equal((await store.GetPropertiesAsync("a"))!.ETag, written.ETag);
        Assert.Null(other);
        Assert.Null(longer);
        Assert.Equal("one"u8.ToArray(), await store.ReadAllAsync("a"));
    }

    [Fact]
    public async Task Find_same_is_null_for_a_missing_objectAsync() =>
        Assert.Null(await new InMemoryObjectStore().FindSameAsync("missing", "x"u8.ToArray()));
}
