using Apache.Arrow;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// The value hash of <c>approx_count_distinct</c> sketches in checkpoints written before the stable hash: FNV-1a
/// over bytes and a 64-bit finalizer over numbers. Kept only so that such sketches go on counting exactly;
/// everything new uses <see cref="Common.StableHash"/>.
/// </summary>
internal static class LegacySketchHashing
{
    public static ulong[] Hashes(IArrowArray column)
    {
        var hashes = new ulong[column.Length];
        switch (column)
        {
            case BinaryArray a:
                for (var i = 0; i < a.Length; i++)
                {
                    hashes[i] = a.IsNull(i) ? 0 : HashBytes(a.GetBytes(i));
                }

                break;
            case FloatArray or DoubleArray or Decimal128Array:
                var doubles = NumericValues.AsDoubles(column);
                for (var i = 0; i < doubles.Length; i++)
                {
                    hashes[i] = Mix((ulong)BitConverter.DoubleToInt64Bits(doubles[i]));
                }

                break;
            default:
                var longs = NumericValues.AsLongs(column);
                for (var i = 0; i < longs.Length; i++)
                {
                    hashes[i] = Mix((ulong)longs[i]);
                }

                break;
        }

        return hashes;
    }

    private static ulong HashBytes(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return x;
    }
}
