using System.Buffers.Binary;

namespace OrleansStreams.Storage.Delta.DeletionVectors;

/// <summary>
/// Decodes Delta's serialized deletion vector bitmap (PROTOCOL.md, "Deletion Vector Format"): a magic
/// number, then a 64-bit Roaring bitmap in the portable format (RoaringFormatSpec): buckets keyed by the
/// high 32 bits, each a 32-bit Roaring bitmap of array, bitmap or run containers. All little-endian.
/// The result is the sorted row indexes, which is what a reader walks batch by batch.
/// </summary>
public static class RoaringBitmapArray
{
    public const int MagicNumber = 1681511377;

    private const int SerialCookieNoRunContainer = 12346;
    private const int SerialCookie = 12347;
    private const int NoOffsetThreshold = 4;
    private const int ArrayContainerMaxCardinality = 4096;
    private const int BitmapContainerBytes = 8192;

    /// <summary>The set's values in ascending order. Throws <see cref="FormatException"/> on malformed input.</summary>
    public static long[] Decode(ReadOnlySpan<byte> data)
    {
        // Two walks: the headers give the count, so the result is allocated once at its size.
        var count = Walk(data, null);
        if (count > Array.MaxLength)
        {
            throw new FormatException($"the deletion vector holds {count} rows, more than one array can");
        }

        var values = new long[count];
        Walk(data, values);

        // Readers binary-search the rows: a set that is not strictly ascending is corrupt.
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] <= values[i - 1])
            {
                throw new FormatException($"row index {values[i]} follows {values[i - 1]}: the bitmap is not in ascending order");
            }
        }

        return values;
    }

    private static long Walk(ReadOnlySpan<byte> data, long[]? output)
    {
        var reader = new SpanReader(data);
        var magic = reader.Int32();
        if (magic != MagicNumber)
        {
            throw new FormatException($"the bitmap starts with magic number {magic}, not {MagicNumber}");
        }

        var buckets = reader.Int64();
        if (buckets < 0 || buckets > data.Length)
        {
            throw new FormatException($"the bitmap claims {buckets} buckets");
        }

        long written = 0;
        long previousKey = -1;
        for (long b = 0; b < buckets; b++)
        {
            var key = reader.Int32();
            if (key < 0 || key <= previousKey)
            {
                throw new FormatException($"bucket key {key} is negative or not ascending");
            }

            previousKey = key;
            written = ReadBitmap32(ref reader, (long)key << 32, output, written);
        }

        if (!reader.AtEnd)
        {
            throw new FormatException($"{reader.Remaining} bytes follow the last bucket");
        }

        return written;
    }

    /// <summary>Reads one 32-bit Roaring bitmap, writing its values (plus <paramref name="high"/>) from <paramref name="written"/> on.</summary>
    private static long ReadBitmap32(ref SpanReader reader, long high, long[]? output, long written)
    {
        var cookie = reader.Int32();
        int size;
        ReadOnlySpan<byte> runFlags = default;
        var hasRuns = (cookie & 0xFFFF) == SerialCookie;
        if (hasRuns)
        {
            size = (int)((uint)cookie >> 16) + 1;
            runFlags = reader.Bytes((size + 7) / 8);
        }
        else if (cookie == SerialCookieNoRunContainer)
        {
            size = reader.Int32();
            if (size < 0 || size > 65536)
            {
                throw new FormatException($"a 32-bit bitmap claims {size} containers");
            }
        }
        else
        {
            throw new FormatException($"unknown Roaring cookie {cookie}");
        }

        var header = reader.Bytes(size * 4);
        if (!hasRuns || size >= NoOffsetThreshold)
        {
            reader.Bytes(size * 4); // offsets: the containers follow in order, so they are not needed
        }

        var previous = -1;
        for (var i = 0; i < size; i++)
        {
            var key = BinaryPrimitives.ReadUInt16LittleEndian(header[(i * 4)..]);
            var cardinality = BinaryPrimitives.ReadUInt16LittleEndian(header[((i * 4) + 2)..]) + 1;
            if (key <= previous)
            {
                throw new FormatException($"container key {key} is not ascending");
            }

            previous = key;
            var baseValue = high | ((long)key << 16);
            var isRun = hasRuns && (runFlags[i / 8] & (1 << (i % 8))) != 0;
            if (output is null)
            {
                // Counting walk: skip the body by its size.
                if (isRun)
                {
                    reader.Bytes(reader.UInt16() * 4);
                }
                else
                {
                    reader.Bytes(cardinality <= ArrayContainerMaxCardinality ? cardinality * 2 : BitmapContainerBytes);
                }

                written += cardinality;
                continue;
            }

            var start = written;
            if (isRun)
            {
                var runs = reader.UInt16();
                var body = reader.Bytes(runs * 4);
                for (var r = 0; r < runs; r++)
                {
                    var first = BinaryPrimitives.ReadUInt16LittleEndian(body[(r * 4)..]);
                    var length = BinaryPrimitives.ReadUInt16LittleEndian(body[((r * 4) + 2)..]);
                    if (first + length > ushort.MaxValue || written + length + 1 > start + cardinality)
                    {
                        throw new FormatException("a run container overflows its container or its cardinality");
                    }

                    for (var v = 0; v <= length; v++)
                    {
                        output[written++] = baseValue | (long)(first + v);
                    }
                }
            }
            else if (cardinality <= ArrayContainerMaxCardinality)
            {
                var body = reader.Bytes(cardinality * 2);
                for (var v = 0; v < cardinality; v++)
                {
                    output[written++] = baseValue | BinaryPrimitives.ReadUInt16LittleEndian(body[(v * 2)..]);
                }
            }
            else
            {
                var body = reader.Bytes(BitmapContainerBytes);
                for (var w = 0; w < BitmapContainerBytes / 8; w++)
                {
                    var word = BinaryPrimitives.ReadUInt64LittleEndian(body[(w * 8)..]);
                    while (word != 0)
                    {
                        if (written >= start + cardinality)
                        {
                            throw new FormatException("a bitmap container holds more values than its cardinality");
                        }

                        output[written++] = baseValue | (long)((w * 64) + System.Numerics.BitOperations.TrailingZeroCount(word));
                        word &= word - 1;
                    }
                }
            }

            if (written != start + cardinality)
            {
                throw new FormatException($"a container holds {written - start} values but its header says {cardinality}");
            }
        }

        return written;
    }

    /// <summary>Bounds-checked little-endian reads over the serialized bitmap.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public readonly bool AtEnd => position == data.Length;

        public readonly int Remaining => data.Length - position;

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        public int UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count < 0 || count > data.Length - position)
            {
                throw new FormatException($"the bitmap ends after {data.Length} bytes, inside a field at byte {position}");
            }

            var slice = data.Slice(position, count);
            position += count;
            return slice;
        }
    }
}
