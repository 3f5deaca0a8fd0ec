namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Definition or repetition levels of a v1 data page in Parquet's RLE/bit-packed hybrid encoding, behind
/// their 4-byte length: runs of 8 or more equal levels become RLE runs, everything between them is
/// bit-packed in groups of 8 (the last group padded with zeros; the page's value count says where it ends).
/// </summary>
internal static class LevelEncoder
{
    private const int MinRun = 8;

    /// <summary>The bits a level up to <paramref name="maxLevel"/> takes (0 when there are no levels to write).</summary>
    public static int BitWidth(int maxLevel) => maxLevel == 0 ? 0 : 32 - int.LeadingZeroCount(maxLevel);

    /// <summary>An upper bound of <see cref="Write"/>'s output.</summary>
    public static int MaxSize(int count, int bitWidth)
    {
        // Every run costs at most a 5-byte header and 4 bytes of RLE value; bit-packing needs bitWidth bytes per 8 levels.
        var runs = (count / MinRun) + 2;
        return 4 + (runs * 9) + ((((count + MinRun - 1) / MinRun) + 1) * bitWidth);
    }

    public static int Write(ReadOnlySpan<int> levels, int bitWidth, Span<byte> output)
    {
        var at = 4;
        var pending = 0; // start of the levels waiting to be bit-packed
        var i = 0;
        while (i < levels.Length)
        {
            var end = i + 1;
            while (end < levels.Length && levels[end] == levels[i])
            {
                end++;
            }

            // A bit-packed run holds whole groups of 8: fill the waiting group from this run before an RLE run starts.
            var fill = (MinRun - ((i - pending) % MinRun)) % MinRun;
            if (end - i - fill >= MinRun)
            {
                i += fill;
                at += BitPacked(levels[pending..i], bitWidth, output[at..]);
                at += Rle(end - i, levels[i], bitWidth, output[at..]);
                pending = end;
            }

            i = end;
        }

        at += BitPacked(levels[pending..], bitWidth, output[at..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(output, at - 4);
        return at;
    }

    private static int Rle(int count, int value, int bitWidth, Span<byte> output)
    {
        var at = ParquetPageEncoder.Varint((ulong)count << 1, output);
        for (var b = 0; b < (bitWidth + 7) / 8; b++)
        {
            output[at++] = (byte)(value >> (8 * b));
        }

        return at;
    }

    /// <summary>Levels LSB first, <paramref name="bitWidth"/> bits each, in groups of 8.</summary>
    private static int BitPacked(ReadOnlySpan<int> levels, int bitWidth, Span<byte> output)
    {
        if (levels.IsEmpty)
        {
            return 0;
        }

        var groups = (levels.Length + MinRun - 1) / MinRun;
        var at = ParquetPageEncoder.Varint(((ulong)groups << 1) | 1, output);
        ulong buffer = 0;
        var bits = 0;
        for (var k = 0; k < groups * MinRun; k++)
        {
            buffer |= (ulong)(k < levels.Length ? (uint)levels[k] : 0) << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                output[at++] = (byte)buffer;
                buffer >>= 8;
                bits -= 8;
            }
        }

        return at;
    }
}
