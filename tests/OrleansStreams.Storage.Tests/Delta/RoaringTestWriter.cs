using System.Buffers.Binary;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>
/// Test-only serializer of Delta's DV bitmap (magic number + portable 64-bit Roaring), so decoder tests
/// cover each container kind: runs when <c>useRuns</c>, else arrays up to 4096 values and bitmaps above.
/// </summary>
internal static class RoaringTestWriter
{
    public static byte[] Serialize(IEnumerable<long> values, bool useRuns)
    {
        var buckets = values.Distinct().Order().GroupBy(v => (int)(v >> 32)).ToList();
        using var stream = new MemoryStream();
        Int32(stream, 1681511377);
        Int64(stream, buckets.Count);
        foreach (var bucket in buckets)
        {
            Int32(stream, bucket.Key);
            WriteBitmap32(stream, [.. bucket.Select(v => (uint)v)], useRuns);
        }

        return stream.ToArray();
    }

    /// <summary>Wraps a bitmap as a DV file (version byte, then big-endian size, bitmap, CRC-32) and returns it with the DV's offset.</summary>
    public static (byte[] File, int Offset) AsDvFile(byte[] bitmap)
    {
        var file = new byte[1 + 4 + bitmap.Length + 4];
        file[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(1), bitmap.Length);
        bitmap.CopyTo(file, 5);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(5 + bitmap.Length), System.IO.Hashing.Crc32.HashToUInt32(bitmap));
        return (file, 1);
    }

    private static void WriteBitmap32(Stream stream, List<uint> values, bool useRuns)
    {
        var containers = values.GroupBy(v => (ushort)(v >> 16)).Select(g => (Key: g.Key, Low: g.Select(v => (ushort)v).ToList())).ToList();
        if (useRuns)
        {
            Int32(stream, 12347 | ((containers.Count - 1) << 16));
            var flags = new byte[(containers.Count + 7) / 8];
            for (var i = 0; i < containers.Count; i++)
            {
                flags[i / 8] |= (byte)(1 << (i % 8));
            }

            stream.Write(flags);
        }
        else
        {
            Int32(stream, 12346);
            Int32(stream, containers.Count);
        }

        foreach (var (key, low) in containers)
        {
            UInt16(stream, key);
            UInt16(stream, (ushort)(low.Count - 1));
        }

        if (!useRuns || containers.Count >= 4)
        {
            // Offsets are not read by the decoder under test; zeros keep the layout right.
            foreach (var unused in containers)
            {
                Int32(stream, 0);
            }
        }

        foreach (var (_, low) in containers)
        {
            if (useRuns)
            {
                var runs = new List<(ushort Start, ushort LengthMinusOne)>();
                foreach (var v in low)
                {
                    if (runs.Count > 0 && runs[^1].Start + runs[^1].LengthMinusOne + 1 == v)
                    {
                        runs[^1] = (runs[^1].Start, (ushort)(runs[^1].LengthMinusOne + 1));
                    }
                    else
                    {
                        runs.Add((v, 0));
                    }
                }

                UInt16(stream, (ushort)runs.Count);
                foreach (var (start, length) in runs)
                {
                    UInt16(stream, start);
                    UInt16(stream, length);
                }
            }
            else if (low.Count <= 4096)
            {
                low.ForEach(v => UInt16(stream, v));
            }
            else
            {
                var words = new ulong[1024];
                low.ForEach(v => words[v / 64] |= 1UL << (v % 64));
                var bytes = new byte[8192];
                for (var w = 0; w < words.Length; w++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(w * 8), words[w]);
                }

                stream.Write(bytes);
            }
        }
    }

    private static void Int32(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void Int64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void UInt16(Stream stream, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
