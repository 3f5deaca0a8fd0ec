using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Storage.ObjectStore;
using StableHash = OrleansStreams.Engine.Common.StableHash;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// What the layout of a checkpoint's state depends on, recorded in <c>state/scheme.json</c> as Spark records its
/// state format version: the hash that spreads keys over partitions, the hash of its <c>approx_count_distinct</c>
/// sketches, and the batch at which state from before the stable hash was re-partitioned (<see cref="RebasedAt"/>).
/// </summary>
public sealed record StateScheme(string Hash, SketchHash Sketches, long? RebasedAt)
{
    private const string FileName = "state/scheme.json";
    private const string LegacySketchName = "fnv1a-64";

    /// <summary>The scheme of every checkpoint started by this version.</summary>
    public static StateScheme Current { get; } = new(StableHash.Name, SketchHash.XxHash3, null);

    /// <summary>
    /// The scheme of <paramref name="checkpoint"/>. A new checkpoint gets <see cref="Current"/>. One that has committed
    /// batches but records no scheme was written before the stable hash: its partitioned aggregation state is
    /// re-partitioned as of <paramref name="lastCommitted"/> (see <see cref="PartitionedStateRebase"/>) and its sketches
    /// keep the hash they were built with.
    /// </summary>
    public static async Task<StateScheme> ResolveAsync(IObjectStore checkpoint, long lastCommitted, AggregationSpec? aggregation, CancellationToken cancellationToken)
    {
        if (await ReadAsync(checkpoint, cancellationToken).ConfigureAwait(false) is { } recorded)
        {
            return recorded;
        }

        if (lastCommitted < 0 || aggregation is null)
        {
            return await checkpoint.PutIfAbsentAsync(FileName, Serialize(Current), cancellationToken).ConfigureAwait(false) is not null
                ? Current
                : (await ReadAsync(checkpoint, cancellationToken).ConfigureAwait(false))!; // another run wrote it first
        }

        // Written after the rebased state, so a run that dies while healing heals again from the old files.
        var rebasedAt = await PartitionedStateRebase.RunAsync(checkpoint, aggregation, lastCommitted, cancellationToken).ConfigureAwait(false);
        var healed = new StateScheme(StableHash.Name, SketchHash.LegacyFnv1a, rebasedAt);
        await checkpoint.WriteAsync(FileName, Serialize(healed), cancellationToken).ConfigureAwait(false);
        return healed;
    }

    private static async Task<StateScheme?> ReadAsync(IObjectStore checkpoint, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await checkpoint.ReadAllAsync(FileName, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }

        var where = $"{checkpoint.Root}/{FileName}";
        try
        {
            var json = JsonNode.Parse(bytes)!.AsObject();
            var hash = json["hash"]?.GetValue<string>();
            if (hash != StableHash.Name)
            {
                throw new InvalidDataException($"{where} names the state hash '{hash}', which this version does not know (it uses '{StableHash.Name}'); the checkpoint was written by another version");
            }

            var sketches = json["sketchHash"]?.GetValue<string>() switch
            {
                StableHash.Name => SketchHash.XxHash3,
                LegacySketchName => SketchHash.LegacyFnv1a,
                var other => throw new InvalidDataException($"{where} names the sketch hash '{other}', which this version does not know"),
            };
            return new StateScheme(hash, sketches, json["rebasedAt"]?.GetValue<long?>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException($"{where} is not a valid state scheme: {e.Message}", e);
        }
    }

    private static byte[] Serialize(StateScheme scheme) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["hash"] = scheme.Hash,
        ["sketchHash"] = scheme.Sketches == SketchHash.XxHash3 ? StableHash.Name : LegacySketchName,
        ["rebasedAt"] = scheme.RebasedAt,
    }.ToJsonString());
}
