using Microsoft.Extensions.Configuration;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.ObjectStore;

public sealed class ObjectStoreFactoryTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    [Fact]
    public void Local_locations_give_a_local_store_rooted_there()
    {
        using var temp = new TempDirectory();
        var factory = new ObjectStoreFactory(new StorageOptions());

        var store = factory.Create("file://" + temp.Combine("t"));

        Assert.IsType<LocalFileObjectStore>(store);
        Assert.Equal(temp.Combine("t"), store.Root);
    }

    [Fact]
    public void A_connection_string_is_used_for_the_account_it_names()
    {
        var factory = new ObjectStoreFactory(new StorageOptions { ConnectionString = Azurite });

        var store = factory.Create("abfss://data@devstoreaccount1.dfs.core.windows.net/t");

        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/data/t/", store.Root);
    }

    [Fact]
    public void Other_accounts_go_to_their_public_endpoint()
    {
        var factory = new ObjectStoreFactory(new StorageOptions { ConnectionString = Azurite });

        var store = factory.Create("wasbs://data@otheracct.blob.core.windows.net/t");

        Assert.Equal("https://otheracct.blob.core.windows.net/data/t/", store.Root);
    }

    [Fact]
    public void Per_account_connection_strings_win()
    {
        var perAccount = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteFixture.AccountKey +
            ";BlobEndpoint=http://127.0.0.1:12345/devstoreaccount1;";
        var options = new StorageOptions
        {
            ConnectionString = Azurite,
            AccountConnectionStrings = new Dictionary<string, string> { ["devstoreaccount1"] = perAccount },
        };

        var store = new ObjectStoreFactory(options).Create("abfss://data@devstoreaccount1.dfs.core.windows.net/t");

        Assert.StartsWith("http://127.0.0.1:12345/devstoreaccount1/data/t", store.Root, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_come_from_configuration_then_the_environment_variable()
    {
        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansStreams:Storage:ConnectionString"] = "from-config",
            ["OrleansStreams:Storage:ConnectionStrings:acct2"] = "for-acct2",
        }).Build();
        var empty = new ConfigurationBuilder().Build();
        string? Environment(string name) => name == "AZURE_STORAGE_CONNECTION_STRING" ? "from-env" : null;

        var fromConfig = StorageOptions.FromConfiguration(configured, Environment);
        var fromEnvironment = StorageOptions.FromConfiguration(empty, Environment);

        Assert.Equal("from-config", fromConfig.ConnectionString);
        Assert.Equal("for-acct2", fromConfig.AccountConnectionStrings["acct2"]);
        Assert.Equal("from-env", fromEnvironment.ConnectionString);
        Assert.Empty(fromEnvironment.AccountConnectionStrings);
    }

    [Fact]
    public void A_malformed_connection_string_is_reported_by_its_setting()
    {
        var factory = new ObjectStoreFactory(new StorageOptions { ConnectionString = "not a connection string" });

        var error = Assert.Throws<ArgumentException>(() => factory.Create("abfss://data@devstoreaccount1.dfs.core.windows.net/t"));

        Assert.Contains(StorageOptions.ConnectionStringKey, error.Message, StringComparison.Ordinal);
    }
}
