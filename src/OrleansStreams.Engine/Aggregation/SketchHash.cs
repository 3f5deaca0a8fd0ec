namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// How <c>approx_count_distinct</c> hashes values into its HyperLogLog sketches. A sketch cannot be re-hashed,
/// so a checkpoint keeps the hash its sketches were built with: new checkpoints use <see cref="XxHash3"/>;
/// checkpoints written before the stable hash keep <see cref="LegacyFnv1a"/>.
/// </summary>
public enum SketchHash
{
    /// <summary><see cref="Common.StableHash"/> of each value.</summary>
    XxHash3,

    /// <summary>The FNV-1a based hash of checkpoints written before the stable hash (see <see cref="LegacySketchHashing"/>).</summary>
    LegacyFnv1a,
}
