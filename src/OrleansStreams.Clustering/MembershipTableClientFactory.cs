using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace OrleansStreams.Clustering;

/// <summary>Builds the table client for the configured account, with retries for transient faults.</summary>
internal static class MembershipTableClientFactory
{
    public static TableClient Create(AzureTableClusteringOptions options, TokenCredential? credential = null)
    {
        options.Validate();
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        var service = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.ConnectionString, clientOptions)
            : new TableServiceClient(options.ServiceUri, credential ?? new DefaultAzureCredential(), clientOptions);
        return service.GetTableClient(options.TableName);
    }
}
