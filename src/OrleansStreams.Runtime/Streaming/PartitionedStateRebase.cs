using System.Globalization;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Heals aggregation state written before the stable hash. Its keys were spread over the partitions
/// (<c>state/&lt;p&gt;/</c>) by a hash that .NET randomizes per process, so a query that ran in several processes
/// holds some keys in more than one partition, each with the partial aggregate of the rows that reached it.
/// Every partition's state as of the last committed batch is loaded, re-partitioned by the stable hash with
/// equal keys merged (<see cref="AggregationState.Repartition"/>), and written as that batch's rebased state;
/// the old files are left as they are, so healing again after a crash reads the same input.
/// </summary>
public static class PartitionedStateRebase
{
    /// <summary>The batch the state was rebased at, or null when the checkpoint keeps no partitioned state.</summary>
    public static async Task<long?> RunAsync(IObjectStore checkpoint, AggregationSpec aggregation, long lastCommitted, CancellationToken cancellationToken)
    {
        if (await ShufflePartitionCount.ReadAsync(checkpoint, cancellationToken).ConfigureAwait(false) is not { } partitions)
        {
            return null;
        }

        var parts = new List<AggregationState>();
        for (var p = 0; p < partitions; p++)
        {
            var store = IncrementalStateStore.OfPartition(checkpoint, p.ToString(CultureInfo.InvariantCulture));
            parts.Add(await store.LoadAsync(aggregation.NewState(SketchHash.LegacyFnv1a), lastCommitted, cancellationToken).ConfigureAwait(false));
        }

        var healed = AggregationState.Repartition(aggregation, parts, partitions, SketchHash.LegacyFnv1a);
        for (var p = 0; p < partitions; p++)
        {
            var store = IncrementalStateStore.OfPartition(checkpoint, p.ToString(CultureInfo.InvariantCulture));
            await store.WriteRebasedAsync(lastCommitted, healed[p], cancellationToken).ConfigureAwait(false);
        }

        return lastCommitted;
    }
}
