using Azure.Data.Tables;
using Azure.Identity;

namespace OrleansStreams.Clustering;

/// <summary>
/// Where the cluster's tables live (membership, and on silos the reminders): a storage account's Table service
/// reached with a connection string (Azurite's devstoreaccount1 this way) or, without one, its endpoint with
/// DefaultAzureCredential — the same two ways the object store reaches Blob storage.
/// </summary>
public sealed record AzureTableClusteringOptions
{
    public const string DefaultTableName = "OrleansSiloInstances";

    /// <summary>A storage connection string; wins over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>, used with DefaultAzureCredential.</summary>
    public Uri? ServiceUri { get; set; }

    public string TableName { get; set; } = DefaultTableName;

    /// <summary>The Table service client Orleans' Azure Storage providers are given.</summary>
    public TableServiceClient CreateServiceClient()
    {
        Validate();
        return ConnectionString is { Length: > 0 } connectionString
            ? new TableServiceClient(connectionString)
            : new TableServiceClient(ServiceUri, new DefaultAzureCredential());
    }

    /// <summary>Throws a message naming the missing setting when neither way to reach the table is configured.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is null)
        {
            throw new InvalidOperationException(
                "Azure Table clustering needs OrleansStreams:Cluster:ConnectionString (or OrleansStreams:Storage:ConnectionString) or OrleansStreams:Cluster:TableServiceUri (or AccountName)");
        }

        if (string.IsNullOrWhiteSpace(TableName) || !TableName.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(TableName[0]) || TableName.Length is < 3 or > 63)
        {
            throw new InvalidOperationException(
                $"OrleansStreams:Cluster:TableName '{TableName}' is not a valid table name (3-63 letters and digits, starting with a letter)");
        }
    }
}
