using System.Net;
using Microsoft.Extensions.Configuration;
using OrleansStreams.Clustering;

namespace OrleansStreams.Host.Tests;

/// <summary>Cluster settings as silos and clients read them from configuration.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void Settings_come_from_the_cluster_section_with_the_storage_connection_string_as_fallback()
    {
        var settings = ClusterSettings.FromConfiguration(Configuration(new()
        {
            ["OrleansStreams:Cluster:Clustering"] = "azuretable",
            ["OrleansStreams:Cluster:ClusterId"] = "prod",
            ["OrleansStreams:Cluster:SiloPort"] = "12000",
            ["OrleansStreams:Cluster:AdvertisedIPAddress"] = "10.1.2.3",
            ["OrleansStreams:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        }), _ => null);

        Assert.Equal(ClusteringMode.AzureTable, settings.Clustering);
        Assert.Equal("prod", settings.ClusterId);
        Assert.Equal("orleans-streams", settings.ServiceId);
        Assert.Equal(12000, settings.SiloPort);
        Assert.Equal(30000, settings.GatewayPort);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), settings.AdvertisedIPAddress);
        Assert.Equal("UseDevelopmentStorage=true", settings.Table.ConnectionString);
        Assert.Equal(AzureTableClusteringOptions.DefaultTableName, settings.Table.TableName);
    }

    [Fact]
    public void An_account_name_without_a_connection_string_means_its_public_endpoint_with_Entra_ID()
    {
        var settings = ClusterSettings.FromConfiguration(Configuration(new()
        {
            ["OrleansStreams:Cluster:Clustering"] = "AzureTable",
            ["OrleansStreams:Cluster:AccountName"] = "streamsabc",
        }), _ => null);

        Assert.Null(settings.Table.ConnectionString);
        Assert.Equal(new Uri("https://streamsabc.table.core.windows.net/"), settings.Table.ServiceUri);
        settings.Table.Validate();
    }

    [Fact]
    public void The_environment_connection_string_is_used_when_none_is_configured()
    {
        var settings = ClusterSettings.FromConfiguration(Configuration(new()), name => name == "AZURE_STORAGE_CONNECTION_STRING" ? "UseDevelopmentStorage=true" : null);
        Assert.Equal("UseDevelopmentStorage=true", settings.Table.ConnectionString);
        Assert.Equal(ClusteringMode.Localhost, settings.Clustering);
    }

    [Theory]
    [InlineData("OrleansStreams:Cluster:Clustering", "Consul")]
    [InlineData("OrleansStreams:Cluster:GatewayPort", "70000")]
    [InlineData("OrleansStreams:Cluster:AdvertisedIPAddress", "silo-1")]
    [InlineData("OrleansStreams:Cluster:TableServiceUri", "not a uri")]
    public void A_bad_value_is_named_in_the_error(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterSettings.FromConfiguration(Configuration(new() { [key] = value }), _ => null));
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
