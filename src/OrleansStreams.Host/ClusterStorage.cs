using Azure.Identity;
using Azure.Storage.Blobs;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Hosting;

namespace OrleansStreams.Host;

/// <summary>
/// The silo's reminders and the registries' grain state, by clustering mode. On Azure Table clustering both go to the
/// cluster's storage account through Orleans' Azure Storage providers: reminders in its Table service, the registries
/// (<see cref="OrleansStreamsSilo.CheckpointStorage"/>) as blobs. Localhost clustering keeps reminders in memory and
/// the registries in the object store under the silo's state root.
/// </summary>
public static class ClusterStorage
{
    /// <summary>The reminders table (named in the Bicep template too, which grants the silos access to it alone).</summary>
    public const string RemindersTableName = "OrleansReminders";

    /// <summary>Adds the reminder service and, on Azure Table clustering, the registries' grain storage; true when it added the latter.</summary>
    public static bool UseClusterStorage(this ISiloBuilder silo, ClusterSettings cluster)
    {
        if (cluster.Clustering == ClusteringMode.Localhost)
        {
            silo.UseInMemoryReminderService();
            return false;
        }

        var table = cluster.Table;
        silo.UseAzureTableReminderService(o => (o.TableName, o.TableServiceClient) = (RemindersTableName, table.CreateServiceClient()));
        silo.AddAzureBlobGrainStorage(OrleansStreamsSilo.CheckpointStorage, o =>
        {
            o.ContainerName = cluster.GrainStateContainer;
            o.BlobServiceClient = BlobService(cluster);
        });
        return true;
    }

    private static BlobServiceClient BlobService(ClusterSettings cluster) =>
        cluster.Table.ConnectionString is { Length: > 0 } connectionString
            ? new BlobServiceClient(connectionString)
            : new BlobServiceClient(
                cluster.BlobServiceUri ?? throw new InvalidOperationException(
                    $"{ClusterSettings.SectionName}:BlobServiceUri (or AccountName) is needed for the registries' grain state when the cluster has no connection string"),
                new DefaultAzureCredential());
}
