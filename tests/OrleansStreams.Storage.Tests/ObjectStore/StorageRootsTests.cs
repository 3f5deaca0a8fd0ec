using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.ObjectStore;

/// <summary>Which locations a silo's allowed storage roots let a query reach: by whole path segments, in normalized form.</summary>
public sealed class StorageRootsTests : IDisposable
{
    private readonly TempDirectory temp = new("roots");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_local_root_allows_itself_and_what_lies_below_it_by_whole_segments()
    {
        var wh = temp.Combine("wh");
        var roots = Roots(wh);

        Assert.True(roots.Allows(wh));
        Assert.True(roots.Allows(wh + "/"));
        Assert.True(roots.Allows(Path.Combine(wh, "t")));
        Assert.True(roots.Allows(Path.Combine(wh, "_checkpoints", "t", "sources", "0")));
        Assert.False(roots.Allows(temp.Combine("wh2")));
        Assert.False(roots.Allows(temp.Combine("wh2", "t")));
        Assert.False(roots.Allows(temp.Path));
        Assert.False(roots.Allows("/etc"));
    }

    [Fact]
    public void A_root_with_a_trailing_slash_or_dot_segments_means_the_same_folder()
    {
        var roots = Roots(temp.Combine("wh") + "/", temp.Combine("other", "..", "cp"));

        Assert.True(roots.Allows(temp.Combine("wh", "t")));
        Assert.True(roots.Allows(temp.Combine("cp", "q")));
        Assert.False(roots.Allows(temp.Combine("other", "q")));
        Assert.Equal([temp.Combine("wh") + "/", temp.Combine("cp")], roots.Names);
    }

    [Fact]
    public void Dot_dot_segments_cannot_climb_out_of_a_root()
    {
        var wh = temp.Combine("wh");
        var roots = Roots(wh);

        Assert.False(roots.Allows(wh + "/../secrets"));
        Assert.False(roots.Allows(wh + "/t/../../wh2"));
        Assert.True(roots.Allows(wh + "/a/../t"));
    }

    [Fact]
    public void File_uris_and_relative_paths_are_compared_as_absolute_paths()
    {
        var wh = temp.Combine("wh");

        Assert.True(Roots("file://" + wh).Allows(Path.Combine(wh, "t")));
        Assert.True(Roots(wh).Allows("file://" + wh + "/t"));
        Assert.True(Roots(wh).Allows("file:" + wh + "/t"));
        Assert.False(Roots(wh).Allows("file://" + temp.Combine("wh2")));
        Assert.True(Roots("relative-root").Allows(Path.Combine(Directory.GetCurrentDirectory(), "relative-root", "t")));
    }

    [Fact]
    public void The_file_system_root_allows_every_local_path_and_no_blob()
    {
        var roots = Roots("/");

        Assert.True(roots.Allows(temp.Combine("any")));
        Assert.False(roots.Allows("abfss://data@myacct.dfs.core.windows.net/t"));
    }

    [Theory]
    [InlineData("abfss://data@myacct.dfs.core.windows.net/wh/t")]
    [InlineData("abfs://data@myacct.dfs.core.windows.net/wh/t/")]
    [InlineData("wasbs://data@myacct.blob.core.windows.net/wh/t")]
    [InlineData("https://myacct.blob.core.windows.net/data/wh/_checkpoints/t")]
    [InlineData("abfss://data@myacct.dfs.core.windows.net/wh")]
    public void A_blob_root_allows_its_folder_in_every_spelling(string location) =>
        Assert.True(Roots("abfss://data@myacct.dfs.core.windows.net/wh").Allows(location));

    [Theory]
    [InlineData("abfss://data@myacct.dfs.core.windows.net/wh2/t")]
    [InlineData("abfss://data@myacct.dfs.core.windows.net/")]
    [InlineData("abfss://other@myacct.dfs.core.windows.net/wh/t")]
    [InlineData("abfss://data@otheracct.dfs.core.windows.net/wh/t")]
    [InlineData("abfss://data@myacct.dfs.core.chinacloudapi.cn/wh/t")]
    [InlineData("http://127.0.0.1:10000/myacct/data/wh/t")]
    public void A_blob_root_refuses_other_folders_containers_accounts_and_endpoints(string location) =>
        Assert.False(Roots("wasbs://data@myacct.blob.core.windows.net/wh/").Allows(location));

    [Fact]
    public void A_container_root_allows_the_whole_container()
    {
        var roots = Roots("abfss://data@myacct.dfs.core.windows.net");

        Assert.True(roots.Allows("wasbs://data@myacct.blob.core.windows.net/any/t"));
        Assert.False(roots.Allows("wasbs://data2@myacct.blob.core.windows.net/any/t"));
    }

    [Fact]
    public void An_account_with_a_connection_string_is_one_place_however_it_is_spelled()
    {
        // With Azurite's connection string, abfss:// locations of devstoreaccount1 go to the emulator's path-style endpoint.
        var azurite = Roots(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }, "abfss://checkpoints@devstoreaccount1.dfs.core.windows.net/wh");

        Assert.True(azurite.Allows("http://127.0.0.1:10000/devstoreaccount1/checkpoints/wh/t"));
        Assert.True(azurite.Allows("wasbs://checkpoints@devstoreaccount1.blob.core.windows.net/wh/t"));
        Assert.False(azurite.Allows("http://127.0.0.1:10000/devstoreaccount1/checkpoints/other"));

        // Without it, the path-style endpoint and the public one are different services.
        var publicOnly = Roots(new StorageOptions(), "abfss://checkpoints@devstoreaccount1.dfs.core.windows.net/wh");
        Assert.False(publicOnly.Allows("http://127.0.0.1:10000/devstoreaccount1/checkpoints/wh/t"));
    }

    [Fact]
    public void A_star_or_no_restriction_allows_anything()
    {
        Assert.True(Roots(temp.Combine("wh"), StorageRoots.Anything).AllowsAnything);
        Assert.True(StorageRoots.Anywhere.Allows("/etc"));
        Assert.True(StorageRoots.Anywhere.Allows("abfss://data@myacct.dfs.core.windows.net/t"));
    }

    [Fact]
    public void Local_and_blob_roots_mix()
    {
        var roots = Roots(temp.Combine("wh"), "abfss://landing@myacct.dfs.core.windows.net/in");

        Assert.True(roots.Allows(temp.Combine("wh", "t")));
        Assert.True(roots.Allows("abfss://landing@myacct.dfs.core.windows.net/in/2026"));
        Assert.False(roots.Allows("abfss://landing@myacct.dfs.core.windows.net/out"));
        Assert.False(roots.Allows(temp.Combine("in")));
    }

    [Fact]
    public void An_unparseable_location_is_an_error_naming_it() =>
        Assert.Contains("ftp://x/y", Assert.Throws<ArgumentException>(() => Roots(temp.Path).Allows("ftp://x/y")).Message, StringComparison.Ordinal);

    private static StorageRoots Roots(params string[] roots) => Roots(new StorageOptions(), roots);

    private static StorageRoots Roots(StorageOptions options, params string[] roots) => StorageRoots.Of(roots, new ObjectStoreFactory(options));
}
