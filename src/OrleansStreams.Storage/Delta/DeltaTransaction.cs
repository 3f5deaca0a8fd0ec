using System.Text.Json;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The changes one commit makes, built against the snapshot it read. <see cref="DeltaLog.CommitAsync"/>
/// writes it as the next version, retrying past concurrent commits that do not conflict with it.
/// </summary>
public sealed class DeltaTransaction
{
    private readonly List<AddFile> adds = [];
    private readonly List<RemoveFile> removes = [];
    private readonly Dictionary<string, TransactionAction> transactions = [];
    private readonly HashSet<string> readAppIds = [];

    /// <param name="readSnapshot">The snapshot the changes were computed from; null for a blind append at whatever version is latest.</param>
    /// <param name="operation">The commitInfo operation, e.g. <c>WRITE</c> or <c>STREAMING UPDATE</c>.</param>
    public DeltaTransaction(DeltaSnapshot? readSnapshot, string operation, IReadOnlyDictionary<string, string>? operationParameters = null)
    {
        ReadSnapshot = readSnapshot;
        Operation = operation;
        OperationParameters = operationParameters is null ? [] : new Dictionary<string, string>(operationParameters);
    }

    public DeltaSnapshot? ReadSnapshot { get; }

    public long? ReadVersion => ReadSnapshot?.Version;

    public string Operation { get; }

    /// <summary>
    /// Written into commitInfo as <c>txnId</c> (PROTOCOL.md): when a commit's response is lost and the store's retry
    /// finds the version taken, the commit there is recognised as this transaction's own.
    /// </summary>
    public string TxnId { get; } = Guid.NewGuid().ToString();

    public Dictionary<string, string> OperationParameters { get; }

    public IReadOnlyList<AddFile> Adds => adds;

    public IReadOnlyList<RemoveFile> Removes => removes;

    public IReadOnlyCollection<TransactionAction> Transactions => transactions.Values;

    /// <summary>App ids whose txn version this transaction depends on: a concurrent txn for one of them is a conflict.</summary>
    public IReadOnlyCollection<string> ReadAppIds => readAppIds;

    public MetadataAction? Metadata { get; private set; }

    public ProtocolAction? Protocol { get; private set; }

    /// <summary>Only adds: such a commit never conflicts with other appends.</summary>
    public bool IsBlindAppend => removes.Count == 0 && Metadata is null && Protocol is null;

    /// <summary>Only rewrites rows that are already there (OPTIMIZE): every add and remove has <c>dataChange = false</c>.</summary>
    public bool OnlyRearranges =>
        Metadata is null && Protocol is null && transactions.Count == 0 && adds.All(a => !a.DataChange) && removes.All(r => !r.DataChange);

    /// <summary>A blind append (<c>WRITE</c>, mode Append).</summary>
    public static DeltaTransaction Append(IEnumerable<AddFile> files, DeltaSnapshot? readSnapshot = null) =>
        new DeltaTransaction(readSnapshot, "WRITE", new Dictionary<string, string> { ["mode"] = "Append" }).AddFiles(files);

    /// <summary>Replaces the table's content: removes every live file of <paramref name="readSnapshot"/> and adds <paramref name="files"/>.</summary>
    public static DeltaTransaction Overwrite(DeltaSnapshot readSnapshot, IEnumerable<AddFile> files, DateTimeOffset? now = null) =>
        new DeltaTransaction(readSnapshot, "WRITE", new Dictionary<string, string> { ["mode"] = "Overwrite" })
            .RemoveAll(now ?? DateTimeOffset.UtcNow)
            .AddFiles(files);

    /// <summary>
    /// One streaming micro-batch (<c>STREAMING UPDATE</c>) with the query's txn for exactly-once replays.
    /// Output mode Complete replaces the table's content; Append and Update only add.
    /// </summary>
    public static DeltaTransaction StreamingUpdate(DeltaSnapshot readSnapshot, IEnumerable<AddFile> files, string outputMode, string queryId, long epochId, DateTimeOffset? now = null)
    {
        var tx = new DeltaTransaction(readSnapshot, "STREAMING UPDATE", new Dictionary<string, string>
        {
            ["outputMode"] = outputMode,
            ["queryId"] = queryId,
            ["epochId"] = epochId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (string.Equals(outputMode, "Complete", StringComparison.OrdinalIgnoreCase))
        {
            tx.RemoveAll(now ?? DateTimeOffset.UtcNow);
        }

        return tx.AddFiles(files).SetTransaction(queryId, epochId, now);
    }

    public DeltaTransaction AddFile(AddFile file)
    {
        adds.Add(file);
        return this;
    }

    public DeltaTransaction AddFiles(IEnumerable<AddFile> files)
    {
        adds.AddRange(files);
        return this;
    }

    public DeltaTransaction RemoveFile(RemoveFile file)
    {
        removes.Add(file);
        return this;
    }

    /// <summary>Removes every live file of the read snapshot.</summary>
    public DeltaTransaction RemoveAll(DateTimeOffset now)
    {
        var snapshot = ReadSnapshot ?? throw new InvalidOperationException("removing all files needs the snapshot the transaction read");
        removes.AddRange(snapshot.ActiveFiles.Select(f => f.ToRemove(now.ToUnixTimeMilliseconds())));
        return this;
    }

    /// <summary>Records that <paramref name="appId"/> has committed up to <paramref name="version"/> (Delta's <c>txn</c> action).</summary>
    public DeltaTransaction SetTransaction(string appId, long version, DateTimeOffset? now = null)
    {
        transactions[appId] = new TransactionAction(appId, version, (now ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds());
        readAppIds.Add(appId);
        return this;
    }

    /// <summary>Marks that the transaction's decision depends on <paramref name="appId"/>'s txn version.</summary>
    public DeltaTransaction ReadTransaction(string appId)
    {
        readAppIds.Add(appId);
        return this;
    }

    public DeltaTransaction UpdateMetadata(MetadataAction metadata)
    {
        Metadata = metadata;
        return this;
    }

    public DeltaTransaction UpdateProtocol(ProtocolAction protocol)
    {
        Protocol = protocol;
        return this;
    }

    /// <summary>The commit's actions in the order Spark writes them: commitInfo, protocol, metaData, txn, removes, adds.</summary>
    internal List<DeltaAction> ToActions(long timestampMillis)
    {
        var actions = new List<DeltaAction>(adds.Count + removes.Count + transactions.Count + 3)
        {
            new CommitInfo(timestampMillis, Operation, OperationParameters, ReadVersion, IsBlindAppend, new Dictionary<string, JsonElement>
            {
                [CommitInfo.TxnIdField] = JsonSerializer.SerializeToElement(TxnId),
            }),
        };
        if (Protocol is not null)
        {
            actions.Add(Protocol);
        }

        if (Metadata is not null)
        {
            actions.Add(Metadata);
        }

        actions.AddRange(transactions.Values);
        actions.AddRange(removes);
        actions.AddRange(adds);
        return actions;
    }
}
