using System.Text;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tests.ObjectStore;

/// <summary>
/// The behaviour every <see cref="IObjectStore"/> owes, run against each backend by a subclass.
/// Each test gets a fresh, empty store.
/// </summary>
public abstract class ObjectStoreContractTests
{
    protected abstract IObjectStore Store { get; }

    [Fact]
    public async Task ReadAll_returns_what_was_writtenAsync()
    {
        await Store.WriteAsync("a/b.json", Bytes("hello"));

        Assert.Equal("hello", Text(await Store.ReadAllAsync("a/b.json")));
    }

    [Fact]
    public async Task Reading_a_missing_object_throws_not_foundAsync()
    {
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.ReadAllAsync("missing.bin"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.ReadRangeAsync("missing.bin", 0, 10));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("missing.bin"));
    }

    [Fact]
    public async Task A_key_that_is_only_a_folder_prefix_is_not_an_objectAsync()
    {
        await Store.WriteAsync("folder/inner.txt", Bytes("x"));

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.ReadAllAsync("folder"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.ReadRangeAsync("folder", 0, 1));
        Assert.Null(await Store.GetPropertiesAsync("folder"));
        Assert.False(await Store.DeleteAsync("folder"));
    }

    [Fact]
    public async Task ReadRange_returns_the_range_and_fewer_bytes_at_the_endAsync()
    {
        await Store.WriteAsync("r.bin", Bytes("0123456789"));

        Assert.Equal("234", Text(await Store.ReadRangeAsync("r.bin", 2, 3)));
        Assert.Equal("789", Text(await Store.ReadRangeAsync("r.bin", 7, 100)));
        Assert.Empty(await Store.ReadRangeAsync("r.bin", 10, 5));
        Assert.Empty(await Store.ReadRangeAsync("r.bin", 50, 5));
        Assert.Empty(await Store.ReadRangeAsync("r.bin", 3, 0));
    }

    [Fact]
    public async Task OpenRead_streams_the_whole_objectAsync()
    {
        var content = new byte[300_000];
        new Random(7).NextBytes(content);
        await Store.WriteAsync("big.bin", content);

        await using var stream = await Store.OpenReadAsync("big.bin");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task Write_from_a_stream_reports_the_sizeAsync()
    {
        using var source = new MemoryStream(Bytes("streamed content"));

        var written = await Store.WriteAsync("s.txt", source);

        Assert.Equal(16, written.Size);
        Assert.Equal("streamed content", Text(await Store.ReadAllAsync("s.txt")));
    }

    [Fact]
    public async Task Write_replaces_an_existing_object_and_changes_its_ETagAsync()
    {
        var first = await Store.WriteAsync("w.txt", Bytes("first"));
        var second = await Store.WriteAsync("w.txt", Bytes("other"));

        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal("other", Text(await Store.ReadAllAsync("w.txt")));
        Assert.Equal(second.ETag, (await Store.GetPropertiesAsync("w.txt"))!.ETag);
    }

    [Fact]
    public async Task PutIfAbsent_creates_once_and_then_returns_nullAsync()
    {
        var created = await Store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", Bytes("v0"));
        var second = await Store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", Bytes("v0 again"));

        Assert.NotNull(created);
        Assert.Equal(2, created.Size);
        Assert.Null(second);
        Assert.Equal("v0", Text(await Store.ReadAllAsync("_delta_log/00000000000000000000.json")));
    }

    [Fact]
    public async Task PutIfAbsent_lets_exactly_one_of_16_concurrent_racers_winAsync()
    {
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (Racer: i, Result: await Store.PutIfAbsentAsync("race/commit.json", Bytes($"racer {i}")));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(racers);

        var winners = results.Where(r => r.Result is not null).ToList();
        Assert.Single(winners);
        Assert.Equal($"racer {winners[0].Racer}", Text(await Store.ReadAllAsync("race/commit.json")));
        Assert.Equal(winners[0].Result!.ETag, (await Store.GetPropertiesAsync("race/commit.json"))!.ETag);
    }

    [Fact]
    public async Task OverwriteIfMatch_replaces_when_the_ETag_matchesAsync()
    {
        var original = await Store.WriteAsync("cas.txt", Bytes("1"));

        var replaced = await Store.OverwriteIfMatchAsync("cas.txt", Bytes("2"), original.ETag);

        Assert.NotEqual(original.ETag, replaced.ETag);
        Assert.Equal("2", Text(await Store.ReadAllAsync("cas.txt")));
        Assert.Equal(replaced.ETag, (await Store.GetPropertiesAsync("cas.txt"))!.ETag);
    }

    [Fact]
    public async Task OverwriteIfMatch_with_a_stale_ETag_throws_and_keeps_the_newer_contentAsync()
    {
        var original = await Store.WriteAsync("cas.txt", Bytes("1"));
        await Store.WriteAsync("cas.txt", Bytes("2"));

        await Assert.ThrowsAsync<ETagMismatchException>(() => Store.OverwriteIfMatchAsync("cas.txt", Bytes("3"), original.ETag));

        Assert.Equal("2", Text(await Store.ReadAllAsync("cas.txt")));
    }

    [Fact]
    public async Task OverwriteIfMatch_on_a_deleted_object_throws_mismatchAsync()
    {
        var original = await Store.WriteAsync("gone.txt", Bytes("1"));
        await Store.DeleteAsync("gone.txt");

        await Assert.ThrowsAsync<ETagMismatchException>(() => Store.OverwriteIfMatchAsync("gone.txt", Bytes("2"), original.ETag));
        Assert.Null(await Store.GetPropertiesAsync("gone.txt"));
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_increments_lose_no_updateAsync()
    {
        const int Tasks = 8;
        const int IncrementsPerTask = 5;
        await Store.WriteAsync("counter", Bytes("0"));

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < IncrementsPerTask;)
            {
                // Read the ETag first: if the content read after it is newer, the ETag is stale and the swap fails.
                var properties = await Store.GetPropertiesAsync("counter");
                var value = int.Parse(Text(await Store.ReadAllAsync("counter")), System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    await Store.OverwriteIfMatchAsync("counter", Bytes((value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), properties!.ETag);
                    done++;
                }
                catch (ETagMismatchException)
                {
                    // lost the race: read again
                }
            }
        })));

        Assert.Equal($"{Tasks * IncrementsPerTask}", Text(await Store.ReadAllAsync("counter")));
    }

    [Fact]
    public async Task Properties_report_size_time_and_ETagAsync()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        var written = await Store.WriteAsync("p/props.bin", new byte[1234]);

        var properties = await Store.GetPropertiesAsync("p/props.bin");

        Assert.NotNull(properties);
        Assert.Equal("p/props.bin", properties.Key);
        Assert.Equal(1234, properties.Size);
        Assert.Equal(written.ETag, properties.ETag);
        Assert.InRange(properties.LastModified, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Null(await Store.GetPropertiesAsync("p/other.bin"));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_reports_whether_it_existedAsync()
    {
        await Store.WriteAsync("d/x.txt", Bytes("x"));

        Assert.True(await Store.DeleteAsync("d/x.txt"));
        Assert.False(await Store.DeleteAsync("d/x.txt"));
        Assert.Null(await Store.GetPropertiesAsync("d/x.txt"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.ReadAllAsync("d/x.txt"));
        Assert.Empty(await KeysAsync(""));
    }

    [Fact]
    public async Task Listing_an_empty_store_returns_nothingAsync()
    {
        Assert.Empty(await ListAllAsync("", ListOptions.Recursive));
        Assert.Empty(await ListAllAsync("", ListOptions.OneLevel));
    }

    [Fact]
    public async Task Recursive_listing_returns_every_key_under_the_prefix_in_ordinal_orderAsync()
    {
        string[] keys = ["t/b.txt", "t/a/2.txt", "t/a/1.txt", "t/a-b.txt", "t/a0.txt", "u/other.txt", "t.txt"];
        foreach (var key in keys)
        {
            await Store.WriteAsync(key, Bytes(key));
        }

        var listed = await KeysAsync("t/");

        Assert.Equal(["t/a-b.txt", "t/a/1.txt", "t/a/2.txt", "t/a0.txt", "t/b.txt"], listed);
        Assert.Equal(keys.Order(StringComparer.Ordinal), await KeysAsync(""));
    }

    [Fact]
    public async Task Listing_reports_object_propertiesAsync()
    {
        var written = await Store.WriteAsync("l/one.bin", new byte[42]);

        var listed = Assert.Single((await ListAllAsync("l/", ListOptions.Recursive)).SelectMany(p => p.Objects));

        Assert.Equal(written with { LastModified = listed.LastModified }, listed);
    }

    [Fact]
    public async Task One_level_listing_returns_objects_and_common_prefixesAsync()
    {
        foreach (var key in new[] { "tbl/_delta_log/0.json", "tbl/date=2024-01-01/p0.parquet", "tbl/date=2024-01-02/p1.parquet", "tbl/x.txt", "tbl/date=2024-01-02/deeper/p2.parquet" })
        {
            await Store.WriteAsync(key, Bytes("x"));
        }

        var pages = await ListAllAsync("tbl/", ListOptions.OneLevel);

        Assert.Equal(["tbl/x.txt"], pages.SelectMany(p => p.Objects).Select(o => o.Key));
        Assert.Equal(["tbl/_delta_log/", "tbl/date=2024-01-01/", "tbl/date=2024-01-02/"], pages.SelectMany(p => p.CommonPrefixes));
    }

    [Fact]
    public async Task Listing_pages_by_page_sizeAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.WriteAsync($"paged/{i}.txt", Bytes("x"));
        }

        var pages = await ListAllAsync("paged/", new ListOptions(PageSize: 2));

        Assert.Equal([2, 2, 1], pages.Select(p => p.Objects.Count));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"paged/{i}.txt"), pages.SelectMany(p => p.Objects).Select(o => o.Key));
    }

    [Fact]
    public async Task A_prefix_may_end_in_a_partial_nameAsync()
    {
        foreach (var key in new[] { "_delta_log/00000000000000000000.json", "_delta_log/00000000000000000001.json", "_delta_log/00000000000000000010.checkpoint.parquet", "_delta_log/_last_checkpoint", "_delta_log/00001/nested.json" })
        {
            await Store.WriteAsync(key, Bytes("x"));
        }

        Assert.Equal(
            ["_delta_log/00000000000000000000.json", "_delta_log/00000000000000000001.json", "_delta_log/00000000000000000010.checkpoint.parquet"],
            await KeysAsync("_delta_log/0000000000"));
        Assert.Equal(["_delta_log/00001/nested.json"], await KeysAsync("_delta_log/00001"));
        Assert.Equal(["_delta_log/_last_checkpoint"], await KeysAsync("_delta_log/_"));

        var oneLevel = await ListAllAsync("_delta_log/0000", ListOptions.OneLevel);
        Assert.Equal(["_delta_log/00001/"], oneLevel.SelectMany(p => p.CommonPrefixes));
        Assert.Equal(3, oneLevel.SelectMany(p => p.Objects).Count());
    }

    [Theory]
    [InlineData("with space/file name.txt")]
    [InlineData("unicode/日本語-ü-é.json")]
    [InlineData("part/date=2024-01-01/city=São Paulo/p.parquet")]
    [InlineData("escaped/100%25 done%.txt")]
    [InlineData("symbols/a+b,c;d@e!f'(g)~h.txt")]
    public async Task Keys_with_spaces_unicode_and_special_characters_round_tripAsync(string key)
    {
        await Store.WriteAsync(key, Bytes(key));

        Assert.Equal(key, Text(await Store.ReadAllAsync(key)));
        Assert.Equal([key], await KeysAsync(""));
        Assert.Equal(key, (await Store.GetPropertiesAsync(key))!.Key);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("/absolute.txt")]
    [InlineData("a//b.txt")]
    [InlineData("a\\b.txt")]
    [InlineData("")]
    public async Task Keys_that_could_escape_the_root_are_rejectedAsync(string key)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(key, Bytes("x")));

        Assert.Contains(key.Length == 0 ? "empty" : key, error.Message, StringComparison.Ordinal);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    protected async Task<List<ObjectListing>> ListAllAsync(string prefix, ListOptions options)
    {
        var pages = new List<ObjectListing>();
        await foreach (var page in Store.ListAsync(prefix, options))
        {
            pages.Add(page);
        }

        return pages;
    }

    protected async Task<List<string>> KeysAsync(string prefix) =>
        (await ListAllAsync(prefix, ListOptions.Recursive)).SelectMany(p => p.Objects).Select(o => o.Key).ToList();
}
