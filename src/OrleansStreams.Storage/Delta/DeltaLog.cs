using System.Runtime.CompilerServices;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The transaction log of one Delta table, over an object store rooted at the table's folder.
/// Reads replay the newest checkpoint plus later JSON commits; the latest snapshot is cached and
/// brought up to date incrementally. Commits are put-if-absent writes of the next commit file.
/// Thread-safe.
/// </summary>
public sealed partial class DeltaLog
{
    private readonly DeltaLogOptions options;
    private volatile DeltaSnapshot? latest;

    public DeltaLog(IObjectStore store, DeltaLogOptions? options = null)
    {
        Store = store;
        this.options = options ?? new DeltaLogOptions();
    }

    public IObjectStore Store { get; }

    /// <summary>The clock commit timestamps and retention periods are measured with.</summary>
    public TimeProvider Clock => options.Clock;

    /// <summary>The table's location, for messages.</summary>
    public string Table => Store.Root;

    /// <summary>Whether the folder holds a Delta table (any commit or checkpoint under <c>_delta_log/</c>).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
        latest is not null || await GetLatestVersionAsync(cancellationToken) is not null;

    /// <summary>The newest committed version, or null when the folder has no Delta table.</summary>
    public async Task<long?> GetLatestVersionAsync(CancellationToken cancellationToken = default)
    {
        long? known = latest?.Version;
        known ??= (await ReadLastCheckpointAsync(cancellationToken))?.Version;
        if (known is null)
        {
            var listing = await ListLogAsync(cancellationToken);
            if (listing.Commits.Count == 0 && listing.Checkpoints.Count == 0)
            {
                return null;
            }

            known = Math.Max(listing.Commits.Count > 0 ? listing.Commits[^1] : -1, listing.Checkpoints.Count > 0 ? listing.Checkpoints.Keys.Max() : -1);
        }

        var version = known.Value;
        while (await Store.GetPropertiesAsync(DeltaLogFiles.CommitKey(version + 1), cancellationToken) is not null)
        {
            version++;
        }

        return version;
    }

    /// <summary>
    /// The table at <paramref name="version"/> (latest when null). A version that is not in the log
    /// raises <see cref="DeltaVersionNotFoundException"/>.
    /// </summary>
    public async Task<DeltaSnapshot> GetSnapshotAsync(long? version = null, CancellationToken cancellationToken = default)
    {
        if (version < 0)
        {
            throw new DeltaVersionNotFoundException($"Delta table {Table}: version {version} does not exist (versions start at 0)");
        }

        var cached = latest;
        if (cached is not null && cached.Version == version)
        {
            return cached;
        }

        // Start from the cached snapshot when it is not past the target, else from the newest checkpoint.
        var builder = cached is not null && (version is null || cached.Version < version)
            ? new DeltaSnapshotBuilder(Table, cached)
            : await LoadCheckpointAsync(version, cancellationToken);
        var fromCheckpoint = builder.Version >= 0 && builder.Version != cached?.Version;

        while (version is null || builder.Version < version)
        {
            var next = builder.Version + 1;
            var commit = await TryReadCommitAsync(next, cancellationToken);
            if (commit is null)
            {
                break;
            }

            builder.Apply(next, commit.Value.Actions, commit.Value.Timestamp);
            fromCheckpoint = false;
        }

        if (builder.Version < 0)
        {
            var listing = await ListLogAsync(cancellationToken);
            if (listing.Checkpoints.Count > 0)
            {
                // The versions before the oldest checkpoint were cleaned up (delta.logRetentionDuration).
                throw new DeltaVersionNotFoundException(
                    $"Delta table {Table}: version {version} is no longer in the log (cleaned up after {TableProperties.LogRetentionDuration}); the earliest version that can be read is {listing.Checkpoints.Keys.First()}");
            }

            throw new DeltaLogException($"{Table} is not a Delta table: {DeltaLogFiles.LogFolder} has no commits");
        }

        if (version is not null && builder.Version != version)
        {
            throw new DeltaVersionNotFoundException(
                $"Delta table {Table}: version {version} does not exist; the latest version is {builder.Version}");
        }

        if (fromCheckpoint && await TryReadCommitAsync(builder.Version, cancellationToken) is { } checkpointCommit)
        {
            // A checkpoint has no commit time: take it from the commit of the same version when it is still there.
            builder.Apply(builder.Version, [], checkpointCommit.Timestamp);
        }

        var snapshot = builder.Build();
        Remember(snapshot);
        return snapshot;
    }

    /// <summary>The table as of <paramref name="timestamp"/>: the newest commit made at or before it (Spark's <c>timestampAsOf</c>).</summary>
    public async Task<DeltaSnapshot> GetSnapshotAsOfTimestampAsync(DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        var commits = (await ListLogAsync(cancellationToken)).Commits;
        if (commits.Count == 0)
        {
            throw new DeltaLogException($"{Table} is not a Delta table: {DeltaLogFiles.LogFolder} has no commits");
        }

        // Commit timestamps grow with the version (writers keep them monotonic), so binary search.
        int low = 0, high = commits.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var commit = await TryReadCommitAsync(commits[middle], cancellationToken);
            if (commit is not null && commit.Value.Timestamp <= timestamp)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (found < 0)
        {
            var first = await TryReadCommitAsync(commits[0], cancellationToken);
            throw new DeltaVersionNotFoundException(
                $"Delta table {Table}: timestamp {timestamp:O} is before the earliest available commit (version {commits[0]} at {first?.Timestamp:O})");
        }

        return await GetSnapshotAsync(commits[found], cancellationToken);
    }

    /// <summary>
    /// The commits from <paramref name="fromVersion"/> on, in order, up to the newest one present
    /// when the enumeration reaches it (what a streaming source polls). A commit that changes the
    /// protocol or metadata to something this project cannot read raises <see cref="DeltaUnsupportedFeatureException"/>.
    /// </summary>
    public async IAsyncEnumerable<(long Version, IReadOnlyList<DeltaAction> Actions)> ReadCommitsAsync(
        long fromVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var version = fromVersion; ; version++)
        {
            var commit = await TryReadCommitAsync(version, cancellationToken);
            if (commit is null)
            {
                if (version == fromVersion && await GetLatestVersionAsync(cancellationToken) is { } newest && newest > fromVersion)
                {
                    throw new DeltaVersionNotFoundException(
                        $"Delta table {Table}: commit {fromVersion} is no longer in the log (cleaned up?) although version {newest} exists");
                }

                yield break;
            }

            if (commit.Value.Actions.Any(a => a is ProtocolAction or MetadataAction))
            {
                // A protocol upgrade or property change mid-stream (e.g. deletion vectors turned on) can make
                // the following files unreadable for us: building the snapshot refuses such a table by name.
                await GetSnapshotAsync(version, cancellationToken);
            }

            yield return (version, commit.Value.Actions);
        }
    }

    /// <summary>Every commit still in the log, newest first, with its commitInfo (Spark's <c>DESCRIBE HISTORY</c>).</summary>
    public async Task<IReadOnlyList<DeltaHistoryEntry>> GetHistoryAsync(CancellationToken cancellationToken = default)
    {
        var commits = (await ListLogAsync(cancellationToken)).Commits;
        var history = new List<DeltaHistoryEntry>(commits.Count);
        foreach (var version in commits.AsEnumerable().Reverse())
        {
            if (await TryReadCommitAsync(version, cancellationToken) is { } commit)
            {
                history.Add(new DeltaHistoryEntry(version, commit.Timestamp, commit.Actions.OfType<CommitInfo>().FirstOrDefault()));
            }
        }

        return history;
    }

    /// <summary>
    /// Creates the table: version 0 with the protocol (reader 1, writer 2 unless given), the metadata and optional
    /// first files. Raises <see cref="DeltaTableExistsException"/> when the folder already has a table.
    /// </summary>
    public async Task<DeltaSnapshot> CreateTableAsync(
        MetadataAction metadata,
        IEnumerable<AddFile>? files = null,
        ProtocolAction? protocol = null,
        CancellationToken cancellationToken = default)
    {
        if (await GetLatestVersionAsync(cancellationToken) is { } existing)
        {
            throw new DeltaTableExistsException($"Delta table {Table} already exists (latest version {existing})");
        }

        var tx = new DeltaTransaction(null, "CREATE TABLE", new Dictionary<string, string>
        {
            ["isManaged"] = "false",
            ["description"] = metadata.Description ?? string.Empty,
            ["partitionBy"] = PartitionByJson(metadata.PartitionColumns),
            ["properties"] = "{}",
        })
            .UpdateProtocol(protocol ?? ProtocolAction.Default)
            .UpdateMetadata(metadata)
            .AddFiles(files ?? []);
        var actions = tx.ToActions(options.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (await Store.PutIfAbsentAsync(DeltaLogFiles.CommitKey(0), DeltaActionJson.SerializeCommit(actions), cancellationToken) is null
            && !await IsOwnCommitAsync(tx, 0, cancellationToken))
        {
            throw new DeltaTableExistsException($"Delta table {Table} already exists (another writer created version 0 concurrently)");
        }

        return await GetSnapshotAsync(0, cancellationToken);
    }

    /// <summary>
    /// Commits <paramref name="tx"/> as the next version and returns that version. When another writer
    /// took the version first, its commit is checked for a logical conflict: none → retry at the next
    /// version; a conflict (or too many attempts) → <see cref="DeltaConcurrencyException"/>.
    /// Every <c>delta.checkpointInterval</c> versions a checkpoint is written afterwards.
    /// </summary>
    public async Task<long> CommitAsync(DeltaTransaction tx, CancellationToken cancellationToken = default)
    {
        var readVersion = tx.ReadVersion ?? await GetLatestVersionAsync(cancellationToken)
            ?? throw new DeltaLogException($"{Table} is not a Delta table: create it before committing to it");
        // The rules come from the snapshot the transaction read; a concurrent protocol or metadata
        // change always conflicts (ConflictChecker), so they cannot change under a commit that retries.
        var rules = tx.ReadSnapshot ?? await GetSnapshotAsync(readVersion, cancellationToken);
        TableFeatures.EnsureWritable(Table, tx.Protocol ?? rules.Protocol, tx.Metadata ?? rules.Metadata);
        EnsureAppendOnlyRespected(tx, rules);

        var checkedThrough = readVersion;
        var lastTimestamp = tx.ReadSnapshot?.Timestamp?.ToUnixTimeMilliseconds() ?? 0;
        for (var attempt = 1; attempt <= options.MaxCommitAttempts; attempt++)
        {
            var version = checkedThrough + 1;

            // Keep commit timestamps monotonic so timestamp time travel can binary-search.
            var timestamp = Math.Max(options.Clock.GetUtcNow().ToUnixTimeMilliseconds(), lastTimestamp + 1);
            var content = DeltaActionJson.SerializeCommit(tx.ToActions(timestamp));
            if (await Store.PutIfAbsentAsync(DeltaLogFiles.CommitKey(version), content, cancellationToken) is not null)
            {
                await AfterCommitAsync(tx, version, timestamp, cancellationToken);
                return version;
            }

            // The version is taken: by our own write when its response was lost and the store's retry met it
            // (recognised by our txnId), otherwise by another writer, whose commits we did not see must be compatible with ours.
            while (await TryReadCommitAsync(checkedThrough + 1, cancellationToken) is { } winner)
            {
                checkedThrough++;
                if (IsOwn(tx, winner.Actions))
                {
                    await AfterCommitAsync(tx, checkedThrough, timestamp, cancellationToken);
                    return checkedThrough;
                }

                lastTimestamp = Math.Max(lastTimestamp, winner.Timestamp.ToUnixTimeMilliseconds());
                if (ConflictChecker.FindConflict(tx, winner.Actions) is { } reason)
                {
                    throw new DeltaConcurrencyException(
                        $"Delta table {Table}: {tx.Operation} transaction read at version {readVersion} conflicts with concurrent commit {checkedThrough}: {reason}");
                }
            }
        }

        throw new DeltaConcurrencyException(
            $"Delta table {Table}: {tx.Operation} transaction read at version {readVersion} gave up after {options.MaxCommitAttempts} attempts; last version tried {checkedThrough + 1}");
    }

    private static bool IsOwn(DeltaTransaction tx, IReadOnlyList<DeltaAction> commit) =>
        commit.OfType<CommitInfo>().FirstOrDefault()?.TxnId == tx.TxnId;

    private async Task<bool> IsOwnCommitAsync(DeltaTransaction tx, long version, CancellationToken cancellationToken) =>
        await TryReadCommitAsync(version, cancellationToken) is { } commit && IsOwn(tx, commit.Actions);

    /// <summary>An append-only table takes no commit that removes data; removes with dataChange=false only rearrange it (PROTOCOL.md, "Append-only Tables").</summary>
    private void EnsureAppendOnlyRespected(DeltaTransaction tx, DeltaSnapshot rules)
    {
        if (!TableFeatures.IsAppendOnly(rules.Protocol, rules.Metadata))
        {
            return;
        }

        var removing = tx.Removes.Count(r => r.DataChange);
        if (removing > 0)
        {
            throw new DeltaWriteRefusedException(
                $"Delta table {Table} is append-only (table property {TableFeatures.AppendOnlyProperty} = true): " +
                $"this {tx.Operation} would remove {removing} data file(s); set {TableFeatures.AppendOnlyProperty} to false to allow it");
        }
    }

    /// <summary>Writes a checkpoint of <paramref name="version"/> (latest when null) and points <c>_last_checkpoint</c> at it.</summary>
    public async Task CheckpointAsync(long? version = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(version, cancellationToken);
        var cutoff = (options.Clock.GetUtcNow() - TableProperties.DeletedFileRetentionOf(snapshot.Metadata)).ToUnixTimeMilliseconds();
        var content = await DeltaCheckpoint.WriteAsync(snapshot, cutoff, cancellationToken);
        await Store.WriteAsync(DeltaLogFiles.CheckpointKey(snapshot.Version), content, cancellationToken);
        var rows = DeltaCheckpoint.RowCount(snapshot, cutoff);

        // Only move the hint forward: a slower writer must not point readers back at an older checkpoint.
        var current = await ReadLastCheckpointAsync(cancellationToken);
        if (current is null || current.Version < snapshot.Version)
        {
            await Store.WriteAsync(DeltaLogFiles.LastCheckpointKey, new LastCheckpoint(snapshot.Version, rows, null).ToJson(), cancellationToken);
        }

        if (TableProperties.ExpiredLogCleanupEnabled(snapshot.Metadata))
        {
            await CleanUpExpiredLogAsync(TableProperties.LogRetentionOf(snapshot.Metadata), cancellationToken);
        }
    }

    private async Task AfterCommitAsync(DeltaTransaction tx, long version, long timestamp, CancellationToken cancellationToken)
    {
        // Extend the cached snapshot with our own commit when it was the version just before it.
        var cached = latest;
        if (cached is not null && cached.Version == version - 1)
        {
            var builder = new DeltaSnapshotBuilder(Table, cached);
            builder.Apply(version, tx.ToActions(timestamp), DateTimeOffset.FromUnixTimeMilliseconds(timestamp));
            Remember(builder.Build());
        }

        var metadata = tx.Metadata ?? tx.ReadSnapshot?.Metadata ?? latest?.Metadata;
        var interval = metadata is null ? TableProperties.DefaultCheckpointInterval : TableProperties.CheckpointIntervalOf(metadata);
        if (version > 0 && version % interval == 0)
        {
            await CheckpointAsync(version, cancellationToken);
        }
    }

    private void Remember(DeltaSnapshot snapshot)
    {
        // Keep the newest snapshot seen; a racing older one must not replace it.
        var current = latest;
        while (current is null || current.Version < snapshot.Version)
        {
            var previous = Interlocked.CompareExchange(ref latest, snapshot, current);
            if (ReferenceEquals(previous, current))
            {
                return;
            }

            current = previous;
        }
    }

    /// <summary>The builder state of the newest checkpoint at or before <paramref name="maxVersion"/>; empty when none.</summary>
    private async Task<DeltaSnapshotBuilder> LoadCheckpointAsync(long? maxVersion, CancellationToken cancellationToken)
    {
        var builder = new DeltaSnapshotBuilder(Table);
        var hint = await ReadLastCheckpointAsync(cancellationToken);
        var checkpoint = hint is not null && (maxVersion is null || hint.Version <= maxVersion)
            ? new CheckpointFiles(hint.Version, hint.V2CheckpointPath is { } v2Path ? [DeltaLogFiles.LogFolder + v2Path] : ClassicKeys(hint.Version, hint.Parts ?? 1))
            : null;
        if (checkpoint is null || !await CheckpointExistsAsync(checkpoint, cancellationToken))
        {
            var listing = await ListLogAsync(cancellationToken);
            checkpoint = listing.Checkpoints.Values.LastOrDefault(c => maxVersion is null || c.Version <= maxVersion);
        }

        if (checkpoint is not null)
        {
            builder.Apply(checkpoint.Version, await ReadCheckpointAsync(checkpoint, cancellationToken), null);
        }

        return builder;
    }

    /// <summary>
    /// The actions of a checkpoint: its Parquet parts, or a V2-spec checkpoint (JSON or Parquet) with the add and
    /// remove actions of the sidecar files it names read in their place.
    /// </summary>
    private async Task<List<DeltaAction>> ReadCheckpointAsync(CheckpointFiles checkpoint, CancellationToken cancellationToken)
    {
        var actions = new List<DeltaAction>();
        foreach (var key in checkpoint.Keys)
        {
            var source = $"{Table}/{key}";
            var content = await Store.ReadAllAsync(key, cancellationToken);
            var fileActions = key.EndsWith(".json", StringComparison.Ordinal)
                ? DeltaActionJson.ParseCommit(content, source)
                : await DeltaCheckpoint.ReadAsync(content, source, cancellationToken);
            foreach (var action in fileActions)
            {
                if (action is not SidecarAction sidecar)
                {
                    actions.Add(action);
                    continue;
                }

                var sidecarKey = DeltaLogFiles.SidecarKey(sidecar.Path)
                    ?? throw new DeltaLogException($"{source}: sidecar {sidecar.Path} is not in {DeltaLogFiles.SidecarFolder}, where sidecar files must be");
                byte[] sidecarContent;
                try
                {
                    sidecarContent = await Store.ReadAllAsync(sidecarKey, cancellationToken);
                }
                catch (ObjectNotFoundException e)
                {
                    throw new DeltaLogException($"{source} names sidecar file {sidecarKey}, which is missing from storage", e);
                }

                actions.AddRange(await DeltaCheckpoint.ReadAsync(sidecarContent, $"{Table}/{sidecarKey}", cancellationToken));
            }
        }

        return actions;
    }

    private async Task<bool> CheckpointExistsAsync(CheckpointFiles checkpoint, CancellationToken cancellationToken)
    {
        foreach (var key in checkpoint.Keys)
        {
            if (await Store.GetPropertiesAsync(key, cancellationToken) is null)
            {
                return false;
            }
        }

        return true;
    }

    private static string[] ClassicKeys(long version, int parts) =>
        parts == 1
            ? [DeltaLogFiles.CheckpointKey(version)]
            : [.. Enumerable.Range(1, parts).Select(part => DeltaLogFiles.CheckpointPartKey(version, part, parts))];

    private async Task<LastCheckpoint?> ReadLastCheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            return LastCheckpoint.TryParse(await Store.ReadAllAsync(DeltaLogFiles.LastCheckpointKey, cancellationToken));
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads one commit; null when the commit file does not exist.</summary>
    private async Task<(IReadOnlyList<DeltaAction> Actions, DateTimeOffset Timestamp)?> TryReadCommitAsync(long version, CancellationToken cancellationToken)
    {
        var key = DeltaLogFiles.CommitKey(version);
        byte[] content;
        try
        {
            content = await Store.ReadAllAsync(key, cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }

        var actions = DeltaActionJson.ParseCommit(content, $"{Table}/{key}");
        if (actions.OfType<CommitInfo>().FirstOrDefault()?.Timestamp is { } millis)
        {
            return (actions, DateTimeOffset.FromUnixTimeMilliseconds(millis));
        }

        // No commitInfo timestamp: the protocol falls back to the commit file's modification time.
        var properties = await Store.GetPropertiesAsync(key, cancellationToken);
        return (actions, properties?.LastModified ?? DateTimeOffset.UnixEpoch);
    }

    /// <summary>
    /// Commit versions (ascending) and complete checkpoints (by version) under <c>_delta_log/</c>, and every file there that
    /// belongs to a version (commits, checkpoints, checksums), in key order.
    /// </summary>
    private async Task<(List<long> Commits, SortedDictionary<long, CheckpointFiles> Checkpoints, List<(long Version, string Key)> Versioned)> ListLogAsync(CancellationToken cancellationToken)
    {
        var commits = new List<long>();
        var versioned = new List<(long Version, string Key)>();
        var parts = new Dictionary<(long Version, int Parts), int>();
        var uuidNamed = new Dictionary<long, string>();
        await foreach (var page in Store.ListAsync(DeltaLogFiles.LogFolder, ListOptions.OneLevel, cancellationToken))
        {
            foreach (var item in page.Objects)
            {
                if (DeltaLogFiles.ParseVersionPrefix(item.Key) is { } prefix)
                {
                    versioned.Add((prefix, item.Key));
                }

                if (DeltaLogFiles.ParseCommitVersion(item.Key) is { } version)
                {
                    commits.Add(version);
                }
                else if (DeltaLogFiles.ParseCheckpoint(item.Key) is { } checkpoint)
                {
                    parts[checkpoint] = parts.GetValueOrDefault(checkpoint) + 1;
                }
                else if (DeltaLogFiles.ParseUuidCheckpoint(item.Key) is { } uuidVersion)
                {
                    // Racing writers may leave several for one version; any one of them is the whole state.
                    uuidNamed.TryAdd(uuidVersion, item.Key);
                }
            }
        }

        commits.Sort();
        var complete = new SortedDictionary<long, CheckpointFiles>();
        foreach (var ((version, count), seen) in parts)
        {
            // A multi-part checkpoint counts only when every part is there.
            if (seen == count)
            {
                complete[version] = new CheckpointFiles(version, ClassicKeys(version, count));
            }
        }

        foreach (var (version, key) in uuidNamed)
        {
            complete.TryAdd(version, new CheckpointFiles(version, [key]));
        }

        return (commits, complete, versioned);
    }

    private static string PartitionByJson(IReadOnlyList<string> columns) =>
        "[" + string.Join(",", columns.Select(c => "\"" + c.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]";

    /// <summary>The files of one checkpoint: a classic file, the parts of a multi-part one, or a UUID-named (V2) file.</summary>
    private sealed record CheckpointFiles(long Version, IReadOnlyList<string> Keys);
}
