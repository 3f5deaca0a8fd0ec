using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace OrleansStreams.Clustering;

/// <summary>
/// Orleans' membership table on Azure Table Storage. The cluster is one partition, so every write that changes
/// membership is one entity-group transaction: the silo's row together with the version row, the latter
/// conditional on the version ETag the writer read. That ETag is the table's concurrency token: a writer that
/// lost a race gets <c>false</c> and re-reads. Heartbeats merge only the IAmAlive column, outside the version,
/// so they never invalidate what another silo read (the row ETag is reported but not required to match).
/// </summary>
public sealed partial class AzureTableMembershipTable : IMembershipTable
{
    private readonly TableClient table;
    private readonly string partition;
    private readonly ILogger<AzureTableMembershipTable> logger;

    public AzureTableMembershipTable(IOptions<AzureTableClusteringOptions> options, IOptions<ClusterOptions> cluster, ILogger<AzureTableMembershipTable> logger)
        : this(MembershipTableClientFactory.Create(options.Value), cluster.Value.ClusterId, logger)
    {
    }

    public AzureTableMembershipTable(TableClient table, string clusterId, ILogger<AzureTableMembershipTable> logger)
    {
        this.table = table;
        partition = SiloEntity.PartitionKey(clusterId);
        this.logger = logger;
    }

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        if (!tryInitTableVersion)
        {
            return;
        }

        try
        {
            await table.AddEntityAsync(SiloEntity.Version(partition, 0), cancellationToken).ConfigureAwait(false);
            LogCreatedVersionRow(table.Name, partition);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Another silo created it first: the cluster has its version row either way.
        }
    }

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {SiloEntity.PartitionKey(clusterId)}"), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(rows.Select(r => r.Row), cancellationToken).ConfigureAwait(false);
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        var dead = (await ReadAllAsync(cancellationToken).ConfigureAwait(false)).Members
            .Where(m => m.Item1.Status == SiloStatus.Dead && SiloEntity.LastUpdate(m.Item1) < beforeDate.UtcDateTime)
            .Select(m => new TableEntity(partition, SiloEntity.RowKey(m.Item1.SiloAddress)) { ETag = new ETag(m.Item2) })
            .ToList();
        await DeleteAsync(dead, cancellationToken).ConfigureAwait(false);
        if (dead.Count > 0)
        {
            LogCleanedUp(dead.Count, beforeDate);
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        // One query over the partition returns both rows from the same read.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and (RowKey eq {SiloEntity.VersionRowKey} or RowKey eq {SiloEntity.RowKey(key)})");
        return ToData(await QueryAsync(filter, cancellationToken).ConfigureAwait(false));
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) =>
        ToData(await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken).ConfigureAwait(false));

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken) =>
        WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, SiloEntity.From(partition, entry)), entry, tableVersion, cancellationToken);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    /// <remarks>
    /// The row must exist (an update of a missing row fails the transaction); its ETag is not required to match,
    /// because heartbeats change it while every membership change also moves the version row, whose ETag is checked.
    /// </remarks>
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken) =>
        WriteAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, SiloEntity.From(partition, entry), ETag.All), entry, tableVersion, cancellationToken);

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        var heartbeat = new TableEntity(partition, SiloEntity.RowKey(entry.SiloAddress));
        SiloEntity.SetTime(heartbeat, SiloEntity.IAmAliveTimeProperty, entry.IAmAliveTime);
        await table.UpdateEntityAsync(heartbeat, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The silo row's change and the version row's move, as one transaction conditional on the version ETag read.</summary>
    private async Task<bool> WriteAsync(TableTransactionAction siloChange, MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        var version = SiloEntity.Version(partition, tableVersion.Version);
        var versionChange = string.IsNullOrEmpty(tableVersion.VersionEtag)
            ? new TableTransactionAction(TableTransactionActionType.Add, version) // no version row yet: creating it is the condition
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, version, new ETag(tableVersion.VersionEtag));
        try
        {
            await table.SubmitTransactionAsync([siloChange, versionChange], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            LogContention(siloChange.ActionType, entry.SiloAddress, tableVersion, e.Status, e.ErrorCode);
            return false;
        }
    }

    private async Task<List<(TableEntity Row, string ETag)>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var rows = new List<(TableEntity, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add((row, row.ETag.ToString()));
        }

        return rows;
    }

    private MembershipTableData ToData(List<(TableEntity Row, string ETag)> rows)
    {
        var version = new TableVersion(0, null!);
        var members = new List<Tuple<MembershipEntry, string>>();
        foreach (var (row, etag) in rows)
        {
            if (row.RowKey == SiloEntity.VersionRowKey)
            {
                version = new TableVersion(row.GetInt32(SiloEntity.VersionProperty) ?? 0, etag);
                continue;
            }

            try
            {
                members.Add(Tuple.Create(SiloEntity.ToEntry(row), etag));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // A row this code cannot read must not stop the cluster from reading the others.
                LogUnreadableRow(e, row.RowKey, table.Name);
            }
        }

        return new MembershipTableData(members, version);
    }

    /// <summary>Deletes rows in transactions of up to 100 (the entity-group limit), each conditional on its ETag.</summary>
    private async Task DeleteAsync(IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag)), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another silo cleaned up or changed one of them meanwhile; the next cleanup pass sees the current rows.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the membership version row in table {Table}, partition {Partition}")]
    private partial void LogCreatedVersionRow(string table, string partition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} dead silo entries last updated before {Before}")]
    private partial void LogCleanedUp(int count, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership {Action} for {Silo} at {Version} lost a race ({Status} {Code}); Orleans re-reads and retries")]
    private partial void LogContention(TableTransactionActionType action, SiloAddress silo, TableVersion version, int status, string? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Membership row {Row} of table {Table} cannot be read and is ignored")]
    private partial void LogUnreadableRow(Exception e, string row, string table);
}
