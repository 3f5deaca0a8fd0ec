using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.ObjectStore;

public sealed class LocalFileObjectStoreTests : ObjectStoreContractTests, IDisposable
{
    private readonly TempDirectory _temp = new("objectstore");

    public LocalFileObjectStoreTests()
    {
        // The root does not exist yet: stores create folders on the first write.
        Store = new LocalFileObjectStore(_temp.Combine("store"));
    }

    protected override IObjectStore Store { get; }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Keys_map_to_files_under_the_rootAsync()
    {
        await Store.WriteAsync("a/b/c.txt", Bytes("c"));

        Assert.Equal("c", File.ReadAllText(_temp.Combine("store", "a", "b", "c.txt")));
    }

    [Fact]
    public async Task Temp_and_lock_files_never_show_in_listings_or_remain_after_writesAsync()
    {
        await Store.WriteAsync("k.txt", Bytes("1"));
        var etag = (await Store.WriteAsync("k.txt", Bytes("2"))).ETag;
        await Store.OverwriteIfMatchAsync("k.txt", Bytes("3"), etag);
        await Store.PutIfAbsentAsync("k.txt", Bytes("4"));
        // A crashed writer's leftover temp file.
        await File.WriteAllTextAsync(_temp.Combine("store", ".k.txt.0123" + ".os-tmp"), "partial");

        Assert.Equal(["k.txt"], await KeysAsync(""));
        Assert.Equal(
            [".k.txt.0123.os-tmp", "k.txt"],
            Directory.GetFiles(_temp.Combine("store")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keys_with_reserved_suffixes_are_rejectedAsync()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync("x.os-lock", Bytes("x")));

        Assert.Contains("x.os-lock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_folders_are_not_listed_as_common_prefixesAsync()
    {
        Directory.CreateDirectory(_temp.Combine("store", "empty", "deeper"));
        await Store.WriteAsync("full/x.txt", Bytes("x"));

        var pages = await ListAllAsync("", ListOptions.OneLevel);

        Assert.Equal(["full/"], pages.SelectMany(p => p.CommonPrefixes));
    }
}
