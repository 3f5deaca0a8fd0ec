namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Decides whether a transaction that lost the race for a version may still commit after the
/// winning commit (optimistic concurrency, as Delta's WriteSerializable isolation does for appends).
/// </summary>
internal static class ConflictChecker
{
    /// <summary>Why <paramref name="tx"/> conflicts with the winning commit's actions, or null when it can retry.</summary>
    public static string? FindConflict(DeltaTransaction tx, IReadOnlyList<DeltaAction> winner)
    {
        var winnerAdds = false;
        HashSet<string>? winnerRemoved = null;
        foreach (var action in winner)
        {
            switch (action)
            {
                case MetadataAction:
                    return "the concurrent commit changed the table metadata (schema, partitioning or properties)";
                case ProtocolAction:
                    return "the concurrent commit changed the protocol version";
                case TransactionAction txn when tx.ReadAppIds.Contains(txn.AppId):
                    return $"the concurrent commit wrote a txn for the same application id '{txn.AppId}' (version {txn.Version})";
                case AddFile:
                    winnerAdds = true;
                    break;
                case RemoveFile remove:
                    (winnerRemoved ??= []).Add(DeltaPath.Canonical(remove.Path));
                    break;
            }
        }

        if (winnerRemoved is not null)
        {
            foreach (var remove in tx.Removes)
            {
                if (winnerRemoved.Contains(DeltaPath.Canonical(remove.Path)))
                {
                    return $"the concurrent commit already removed file '{remove.Path}' that this transaction removes";
                }
            }
        }

        // A compaction (only dataChange = false actions) reads nothing but the files it rewrites, checked above.
        if (tx.Removes.Count > 0 && !tx.OnlyRearranges && (winnerAdds || winnerRemoved is not null))
        {
            return "this transaction removes files (overwrite or delete) but the concurrent commit added or removed files it did not see";
        }

        if ((tx.Metadata is not null || tx.Protocol is not null) && (winnerAdds || winnerRemoved is not null))
        {
            return "this transaction changes the table metadata but the concurrent commit wrote data files under the old metadata";
        }

        return null;
    }
}
