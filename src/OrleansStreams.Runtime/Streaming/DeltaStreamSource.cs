using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A Delta table read as a stream (<c>readStream.table(...)</c>): first the files of the snapshot at
/// start (or the changes from <c>startingVersion</c>), then each new commit's added files (less the rows
/// their deletion vectors hide). A commit that removes data fails the query unless <c>skipChangeCommits</c>
/// is set, or it only deletes and <c>ignoreDeletes</c> is; errors use Spark's wording.
/// </summary>
public sealed class DeltaStreamSource(DeltaTable table, StructType schema, long? startingVersion, bool ignoreDeletes, bool skipChangeCommits, string name) : IStreamSource
{
    public StructType Schema => schema;

    public string Description => $"DeltaSource[{name}]";

    public async Task<string?> NextEndAsync(string? start, ReadLimit limit, string? upTo, CancellationToken cancellationToken)
    {
        var from = start is null ? null : DeltaStreamOffset.Parse(start);
        var ceiling = upTo is null ? null : DeltaStreamOffset.Parse(upTo);
        DeltaStreamOffset? end = null;
        var count = 0;
        long bytes = 0;
        await foreach (var (offset, file) in FilesAfterAsync(from, cancellationToken).ConfigureAwait(false))
        {
            if ((ceiling is not null && offset.CompareTo(ceiling) > 0)
                || (limit.MaxFiles is { } maxFiles && count >= maxFiles)
                || (limit.MaxBytes is { } maxBytes && count > 0 && bytes + file.Size > maxBytes))
            {
                break;
            }

            end = offset;
            count++;
            bytes += file.Size;
        }

        return end?.Serialize();
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(string? start, string end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = start is null ? null : DeltaStreamOffset.Parse(start);
        var to = DeltaStreamOffset.Parse(end);
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await foreach (var (offset, file) in FilesAfterAsync(from, cancellationToken).ConfigureAwait(false))
        {
            if (offset.CompareTo(to) > 0)
            {
                yield break;
            }

            // Read each file through a one-file view of the latest snapshot's schema (older files lack new columns: NULL).
            await foreach (var batch in table.Reader.ReadFilesAsync([file], snapshot, schema.FieldNames.ToList(), cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }
    }

    /// <summary>The data files in stream order after <paramref name="from"/>, each with its offset.</summary>
    private async IAsyncEnumerable<(DeltaStreamOffset Offset, AddFile File)> FilesAfterAsync(DeltaStreamOffset? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long nextCommit;
        if (from is null && startingVersion is null)
        {
            var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var files = snapshot.ActiveFiles.OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
            for (var i = 0; i < files.Count; i++)
            {
                yield return (new DeltaStreamOffset(snapshot.Version, i, true), files[i]);
            }

            nextCommit = snapshot.Version + 1;
        }
        else if (from is { Snapshot: true })
        {
            var snapshot = await table.GetSnapshotAsync(from.Version, cancellationToken).ConfigureAwait(false);
            var files = snapshot.ActiveFiles.OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
            for (var i = from.Index + 1; i < files.Count; i++)
            {
                yield return (new DeltaStreamOffset(snapshot.Version, i, true), files[i]);
            }

            nextCommit = from.Version + 1;
        }
        else
        {
            nextCommit = from?.Version ?? startingVersion!.Value;
        }

        await foreach (var (version, actions) in table.Log.ReadCommitsAsync(nextCommit, cancellationToken).ConfigureAwait(false))
        {
            var removes = actions.OfType<RemoveFile>().Where(r => r.DataChange).ToList();
            var adds = actions.OfType<AddFile>().Where(a => a.DataChange).ToList();

            // As in Spark's DeltaSource, ignoreDeletes covers only commits that delete; one that also adds files
            // rewrote data (an update, an overwrite, or a DELETE that gave a file a deletion vector).
            if (removes.Count > 0 && adds.Count > 0 && !skipChangeCommits)
            {
                throw new InvalidOperationException(
                    $"Detected a data update (for example {ChangeInfo(actions, removes[0])}) in the source table at version {version}. " +
                    "This is currently not supported. If this is going to happen regularly and you are okay to skip changes, set the option 'skipChangeCommits' to 'true'. " +
                    $"If you would like the data update to be reflected, please restart this query with a fresh checkpoint directory. The source table can be found at path {table.Log.Table}.");
            }

            if (removes.Count > 0 && !ignoreDeletes && !skipChangeCommits)
            {
                throw new InvalidOperationException(
                    $"Detected deleted data (for example {removes[0].Path}) from streaming source at version {version}. This is currently not supported. " +
                    $"If you'd like to ignore deletes, set the option 'ignoreDeletes' to 'true'. The source table can be found at path {table.Log.Table}.");
            }

            if (removes.Count > 0)
            {
                continue;
            }

            var skip = from is { Snapshot: false } && from.Version == version ? from.Index + 1 : 0;
            for (var i = skip; i < adds.Count; i++)
            {
                yield return (new DeltaStreamOffset(version, i, false), adds[i]);
            }
        }
    }

    /// <summary>What Spark names in its data-update error: the commit's operation and parameters, else a removed file.</summary>
    private static string ChangeInfo(IReadOnlyList<DeltaAction> actions, RemoveFile firstRemove) =>
        actions.OfType<CommitInfo>().FirstOrDefault() is { Operation: { } operation } info
            ? $"{operation} (Map({string.Join(", ", info.OperationParameters.Select(p => $"{p.Key} -> {p.Value}"))}))"
            : firstRemove.Path;
}
