using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The state of a table at one version, from log replay: protocol, metadata, live files
/// (adds minus removes, keyed by decoded path and deletion vector), tombstones and the latest txn version per app.
/// Immutable; <see cref="DeltaSnapshotBuilder"/> applies newer commits to derive the next one.
/// </summary>
public sealed class DeltaSnapshot
{
    internal DeltaSnapshot(
        string table,
        long version,
        ProtocolAction protocol,
        MetadataAction metadata,
        IReadOnlyDictionary<string, AddFile> files,
        IReadOnlyDictionary<string, RemoveFile> tombstones,
        IReadOnlyDictionary<string, long> transactions,
        IReadOnlyDictionary<string, DomainMetadataAction> domainMetadata,
        DateTimeOffset? timestamp)
    {
        DomainMetadata = domainMetadata;
        Table = table;
        Version = version;
        Protocol = protocol;
        Metadata = metadata;
        Files = files;
        Tombstones = tombstones;
        Transactions = transactions;
        Timestamp = timestamp;
        ActiveFiles = [.. files.Values];
        schema = new Lazy<StructType>(() => SchemaJson.Parse(metadata.SchemaString));
    }

    private readonly Lazy<StructType> schema;

    /// <summary>Where the table lives (the store root), for messages.</summary>
    public string Table { get; }

    public long Version { get; }

    public ProtocolAction Protocol { get; }

    public MetadataAction Metadata { get; }

    /// <summary>The live data files, each as its latest add action.</summary>
    public IReadOnlyList<AddFile> ActiveFiles { get; }

    /// <summary>
    /// When the commit of <see cref="Version"/> happened (its commitInfo timestamp, else the commit
    /// file's modification time); null when the snapshot came from a checkpoint with no later commit.
    /// </summary>
    public DateTimeOffset? Timestamp { get; }

    public IReadOnlyList<string> PartitionColumns => Metadata.PartitionColumns;

    /// <summary>The table schema (partition columns included), parsed from the metadata's schemaString.</summary>
    public StructType Schema => schema.Value;

    /// <summary>The latest <c>txn</c> version committed by <paramref name="appId"/>, or null if it never committed.</summary>
    public long? GetTransactionVersion(string appId) => Transactions.TryGetValue(appId, out var v) ? v : null;

    /// <summary>Live files keyed by their canonical (decoded) path.</summary>
    internal IReadOnlyDictionary<string, AddFile> Files { get; }

    /// <summary>Removed logical files keyed by canonical path and deletion vector id (kept for checkpoints, which carry tombstones for VACUUM).</summary>
    internal IReadOnlyDictionary<string, RemoveFile> Tombstones { get; }

    internal IReadOnlyDictionary<string, long> Transactions { get; }

    /// <summary>The live domain metadata by domain (removed domains dropped); kept so checkpoints carry it on.</summary>
    public IReadOnlyDictionary<string, DomainMetadataAction> DomainMetadata { get; }

    /// <summary>Whether the file with this log path is live in the snapshot.</summary>
    public bool Contains(string logPath) => Files.ContainsKey(DeltaPath.Canonical(logPath));
}

/// <summary>Replays actions in commit order on top of an optional starting snapshot.</summary>
internal sealed class DeltaSnapshotBuilder
{
    private readonly string table;
    private readonly Dictionary<string, AddFile> files;
    private readonly Dictionary<string, RemoveFile> tombstones;
    private readonly Dictionary<string, long> transactions;
    private readonly Dictionary<string, DomainMetadataAction> domainMetadata;
    private ProtocolAction? protocol;
    private MetadataAction? metadata;
    private DateTimeOffset? timestamp;
    private bool built;

    public DeltaSnapshotBuilder(string table, DeltaSnapshot? start = null)
    {
        this.table = table;
        files = start is null ? [] : new Dictionary<string, AddFile>(start.Files);
        tombstones = start is null ? [] : new Dictionary<string, RemoveFile>(start.Tombstones);
        transactions = start is null ? [] : new Dictionary<string, long>(start.Transactions);
        domainMetadata = start is null ? [] : new Dictionary<string, DomainMetadataAction>(start.DomainMetadata);
        protocol = start?.Protocol;
        metadata = start?.Metadata;
        timestamp = start?.Timestamp;
        Version = start?.Version ?? -1;
    }

    public long Version { get; private set; }

    /// <summary>Applies the actions of checkpoint or commit <paramref name="version"/>.</summary>
    public void Apply(long version, IEnumerable<DeltaAction> actions, DateTimeOffset? commitTimestamp)
    {
        ObjectDisposedException.ThrowIf(built, this);
        foreach (var action in actions)
        {
            switch (action)
            {
                case AddFile add:
                    // A logical file is (path, deletion vector): the newest add of a path replaces any other DV of it.
                    var addPath = DeltaPath.Canonical(add.Path);
                    files[addPath] = add;
                    tombstones.Remove(LogicalFileKey(addPath, add.DeletionVector));
                    break;
                case RemoveFile remove:
                    // A remove of (path, old DV) next to an add of (path, new DV) in one commit must not drop the new one.
                    var removePath = DeltaPath.Canonical(remove.Path);
                    if (files.TryGetValue(removePath, out var live) && live.DeletionVector?.UniqueId == remove.DeletionVector?.UniqueId)
                    {
                        files.Remove(removePath);
                    }

                    tombstones[LogicalFileKey(removePath, remove.DeletionVector)] = remove;
                    break;
                case TransactionAction txn:
                    transactions[txn.AppId] = txn.Version;
                    break;
                case ProtocolAction p:
                    protocol = p;
                    break;
                case MetadataAction m:
                    metadata = m;
                    break;
                case DomainMetadataAction { Removed: true } d:
                    domainMetadata.Remove(d.Domain);
                    break;
                case DomainMetadataAction d:
                    domainMetadata[d.Domain] = d;
                    break;
            }
        }

        Version = version;
        timestamp = commitTimestamp;
    }

    private static string LogicalFileKey(string canonicalPath, DeletionVectorDescriptor? dv) =>
        dv is null ? canonicalPath : string.Concat(canonicalPath, "\0", dv.UniqueId);

    public DeltaSnapshot Build()
    {
        if (protocol is null || metadata is null)
        {
            throw new DeltaLogException($"Delta table {table}: the log up to version {Version} has no {(protocol is null ? "protocol" : "metaData")} action");
        }

        TableFeatures.EnsureReadable(table, protocol, metadata);

        // The snapshot takes the builder's dictionaries over: a builder builds once.
        ObjectDisposedException.ThrowIf(built, this);
        built = true;
        return new DeltaSnapshot(table, Version, protocol, metadata, files, tombstones, transactions, domainMetadata, timestamp);
    }
}
