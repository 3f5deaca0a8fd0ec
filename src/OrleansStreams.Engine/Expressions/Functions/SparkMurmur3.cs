using System.Buffers.Binary;
using System.Numerics;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// Murmur3 x86 32-bit exactly as Spark's <c>Murmur3_x86_32</c> computes it (the <c>hash()</c> function
/// and hash partitioning): ints and longs mixed by their 32-bit halves, bytes four at a time
/// little-endian, with a trailing byte mixed on its own as a sign-extended int.
/// </summary>
internal static class SparkMurmur3
{
    public const int DefaultSeed = 42;

    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    public static int HashInt(int value, int seed) => Fmix(MixH1((uint)seed, MixK1((uint)value)), 4);

    public static int HashLong(long value, int seed)
    {
        var h1 = MixH1((uint)seed, MixK1((uint)value));
        h1 = MixH1(h1, MixK1((uint)(value >>> 32)));
        return Fmix(h1, 8);
    }

    public static int HashBytes(ReadOnlySpan<byte> bytes, int seed)
    {
        var h1 = (uint)seed;
        var aligned = bytes.Length - (bytes.Length % 4);
        for (var i = 0; i < aligned; i += 4)
        {
            h1 = MixH1(h1, MixK1(BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..])));
        }

        for (var i = aligned; i < bytes.Length; i++)
        {
            h1 = MixH1(h1, MixK1((uint)(int)(sbyte)bytes[i]));
        }

        return Fmix(h1, bytes.Length);
    }

    private static uint MixK1(uint k1) => BitOperations.RotateLeft(k1 * C1, 15) * C2;

    private static uint MixH1(uint h1, uint k1) => (BitOperations.RotateLeft(h1 ^ k1, 13) * 5) + 0xe6546b64;

    private static int Fmix(uint h1, int length)
    {
        h1 ^= (uint)length;
        h1 ^= h1 >> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >> 16;
        return (int)h1;
    }
}
