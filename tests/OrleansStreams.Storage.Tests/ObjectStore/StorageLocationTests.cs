using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tests.ObjectStore;

public sealed class StorageLocationTests
{
    [Theory]
    [InlineData("abfss://data@myacct.dfs.core.windows.net/tables/events")]
    [InlineData("abfs://data@myacct.dfs.core.windows.net/tables/events/")]
    [InlineData("wasbs://data@myacct.blob.core.windows.net/tables/events")]
    [InlineData("wasb://data@myacct.blob.core.windows.net//tables/events")]
    [InlineData("https://myacct.blob.core.windows.net/data/tables/events")]
    [InlineData("https://myacct.dfs.core.windows.net/data/tables/events")]
    public void Azure_forms_normalize_to_the_same_location(string uri)
    {
        var location = StorageLocation.Parse(uri);

        Assert.Equal(StorageKind.AzureBlob, location.Kind);
        Assert.Equal("myacct", location.AccountName);
        Assert.Equal("data", location.Container);
        Assert.Equal("tables/events", location.Path);
        Assert.Equal(new Uri("https://myacct.blob.core.windows.net"), location.BlobServiceUri);
        Assert.Null(location.LocalPath);
        Assert.Equal("abfss://data@myacct.dfs.core.windows.net/tables/events", location.ToString());
        Assert.Equal(location, StorageLocation.Parse(location.ToString()));
    }

    [Fact]
    public void Container_root_has_an_empty_path()
    {
        var location = StorageLocation.Parse("abfss://data@myacct.dfs.core.windows.net");

        Assert.Equal("", location.Path);
        Assert.Equal("abfss://data@myacct.dfs.core.windows.net/", location.ToString());
    }

    [Fact]
    public void Sovereign_cloud_suffixes_are_kept()
    {
        var location = StorageLocation.Parse("abfss://data@myacct.dfs.core.chinacloudapi.cn/x");

        Assert.Equal(new Uri("https://myacct.blob.core.chinacloudapi.cn"), location.BlobServiceUri);
        Assert.Equal("abfss://data@myacct.dfs.core.chinacloudapi.cn/x", location.ToString());
    }

    [Fact]
    public void Azurite_path_style_uri_keeps_its_endpoint()
    {
        var location = StorageLocation.Parse("http://127.0.0.1:10000/devstoreaccount1/data/dir/sub");

        Assert.Equal(StorageKind.AzureBlob, location.Kind);
        Assert.Equal("devstoreaccount1", location.AccountName);
        Assert.Equal("data", location.Container);
        Assert.Equal("dir/sub", location.Path);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), location.BlobServiceUri);
        Assert.False(location.IsPublicEndpoint);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/data/dir/sub", location.ToString());
    }

    [Fact]
    public void Escaped_characters_are_decoded_and_re_escaped_canonically()
    {
        var location = StorageLocation.Parse("abfss://data@myacct.dfs.core.windows.net/t/date=2024-01-01/S%C3%A3o%20Paulo%25");

        Assert.Equal("t/date=2024-01-01/São Paulo%", location.Path);
        Assert.Equal("abfss://data@myacct.dfs.core.windows.net/t/date=2024-01-01/S%C3%A3o%20Paulo%25", location.ToString());
    }

    [Fact]
    public void Relative_local_paths_become_absolute()
    {
        var location = StorageLocation.Parse("warehouse/events");

        Assert.Equal(StorageKind.Local, location.Kind);
        Assert.Equal(Path.GetFullPath("warehouse/events"), location.LocalPath);
        Assert.Null(location.AccountName);
        Assert.StartsWith("file:///", location.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///data/my%20table")]
    [InlineData("file:/data/my%20table")]
    [InlineData("file://localhost/data/my%20table")]
    [InlineData("/data/my table")]
    [InlineData("/data/other/../my table/")]
    public void File_uris_and_absolute_paths_are_local(string input)
    {
        var location = StorageLocation.Parse(input);

        Assert.Equal(StorageKind.Local, location.Kind);
        Assert.Equal(Path.GetFullPath("/data/my table"), Path.TrimEndingDirectorySeparator(location.LocalPath!));
    }

    [Fact]
    public void Local_location_prints_as_a_file_uri()
    {
        Assert.Equal("file:///data/my%20table", StorageLocation.Parse("/data/my table").ToString());
    }

    [Fact]
    public void Combine_appends_relative_paths()
    {
        var azure = StorageLocation.Parse("abfss://data@myacct.dfs.core.windows.net/tables");
        var root = StorageLocation.Parse("abfss://data@myacct.dfs.core.windows.net/");
        var local = StorageLocation.Parse("/data");

        Assert.Equal("tables/events/_delta_log", azure.Combine("events/_delta_log/").Path);
        Assert.Equal("events", root.Combine("events").Path);
        Assert.Equal(Path.Combine("/data", "events", "_checkpoints"), local.Combine("events/_checkpoints").LocalPath);
        Assert.Throws<ArgumentException>(() => azure.Combine("../escape"));
        Assert.Throws<ArgumentException>(() => local.Combine("/etc"));
    }

    [Theory]
    [InlineData("s3://bucket/key", "unsupported scheme 's3'")]
    [InlineData("abfss://myacct.dfs.core.windows.net/dir", "missing container")]
    [InlineData("abfss://data@myacct.queue.core.windows.net/dir", "host 'myacct.queue.core.windows.net'")]
    [InlineData("abfss://Data@myacct.dfs.core.windows.net/dir", "invalid container name 'Data'")]
    [InlineData("abfss://data@my-acct.dfs.core.windows.net/dir", "invalid storage account name 'my-acct'")]
    [InlineData("https://myacct.blob.core.windows.net/", "missing container")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", "path-style URI needs")]
    [InlineData("abfss://data@myacct.dfs.core.windows.net/dir?sv=1", "query strings")]
    [InlineData("file://server/share/x", "not host 'server'")]
    [InlineData("file:relative/x", "absolute path")]
    [InlineData("wasbs://data@myacct.blob.core.windows.net/a/%2E%2E/b", "invalid path")]
    public void Bad_locations_name_the_uri_and_the_problem(string input, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageLocation.Parse(input));

        Assert.Contains($"'{input}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_locations_are_rejected(string input)
    {
        Assert.Throws<ArgumentException>(() => StorageLocation.Parse(input));
    }
}
