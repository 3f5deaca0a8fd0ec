using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Writes Arrow batches as a Parquet file, row group by row group as they are added (only one row group
/// is encoded in memory at a time): each column chunk is PLAIN pages encoded straight from the
/// Arrow buffers (no value or object per row), snappy-compressed, with a Thrift footer Spark, DuckDB and
/// Parquet.Net read. Row groups hold up to <see cref="ParquetWriteOptions.RowGroupSize"/> rows. Struct,
/// array and map columns are written as their leaf columns with Dremel levels (<see cref="ColumnShredder"/>).
/// </summary>
/// <remarks>
/// Parquet.Net's column writer allocated per value for binary and timestamp columns and transcoded
/// strings through UTF-16; this writer does neither (see the bench's ingest figures).
/// </remarks>
public sealed class ParquetFileWriter
{
    /// <summary>Rows per data page: pages of a few MB keep readers' buffers small.</summary>
    private const int PageRows = 64 * 1024;

    private static readonly byte[] Magic = "PAR1"u8.ToArray();


    private readonly Stream output;
    private readonly StructType schema;
    private readonly ParquetWriteOptions options;
    private readonly ParquetFieldLayout[] fields;
    private readonly int leafCount;
    private readonly int codec;
    private readonly Dictionary<string, ColumnStatistics> stats;
    private readonly List<RowGroupInfo> rowGroups = [];
    private long position;

    private ParquetFileWriter(Stream output, StructType schema, ParquetWriteOptions options, int codec)
    {
        this.output = output;
        this.schema = schema;
        this.options = options;
        this.codec = codec;
        fields = schema.Fields.Select(ParquetFieldLayout.For).ToArray();
        leafCount = fields.Sum(f => f.Leaves.Count);
        stats = schema.Fields.ToDictionary(f => f.Name, _ => new ColumnStatistics(), StringComparer.Ordinal);
    }

    /// <summary>Bytes written so far (the footer not included).</summary>
    public long Position => position;

    /// <summary>Rows written so far.</summary>
    public long Rows => rowGroups.Sum(g => (long)g.Rows);

    public static async Task<ParquetFileWriter> StartAsync(Stream output, StructType schema, ParquetWriteOptions options, CancellationToken cancellationToken)
    {
        var codec = options.Compression switch
        {
            global::Parquet.CompressionMethod.None => 0,
            global::Parquet.CompressionMethod.Snappy => 1,
            _ => throw new NotSupportedException($"Parquet compression {options.Compression} is not supported; use Snappy or None"),
        };
        var file = new ParquetFileWriter(output, schema, options, codec);
        await output.WriteAsync(Magic, cancellationToken).ConfigureAwait(false);
        file.position = Magic.Length;
        return file;
    }

    /// <summary>Writes <paramref name="batch"/> as row groups of up to <see cref="ParquetWriteOptions.RowGroupSize"/> rows.</summary>
    public Task AddAsync(RecordBatch batch, CancellationToken cancellationToken) => AddAsync([batch], cancellationToken);

    /// <summary>
    /// Writes the rows of <paramref name="batches"/>, one batch after the other, as row groups of up to
    /// <see cref="ParquetWriteOptions.RowGroupSize"/> rows. A row group may span batches: its pages are encoded
    /// from each batch's buffers in turn, so the batches need not be joined into one first (the table writer
    /// hands over a partition's buffered batches this way). The file is the same as for the batches joined.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<RecordBatch> batches, CancellationToken cancellationToken)
    {
        var total = BatchSlices.Rows(batches);
        for (long offset = 0; offset < total; offset += options.RowGroupSize)
        {
            var count = Math.Min(options.RowGroupSize, total - offset);
            var parts = offset == 0 && count == total ? batches : BatchSlices.Take(batches, offset, count);
            await AddRowGroupAsync(parts, (int)count, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AddRowGroupAsync(IReadOnlyList<RecordBatch> parts, int rows, CancellationToken cancellationToken)
    {
        var chunks = new ChunkInfo[leafCount];
        var leaf = 0;
        var columns = new IArrowArray[parts.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            for (var p = 0; p < parts.Count; p++)
            {
                columns[p] = parts[p].Column(c);
                if (!schema[c].Nullable && columns[p].NullCount > 0)
                {
                    throw new InvalidOperationException($"Column {StructType.QuoteIdentifier(schema[c].Name)} is declared NOT NULL but the data has {columns[p].NullCount} null value(s)");
                }

                stats[schema[c].Name].Add(columns[p]);
            }

            if (fields[c].IsFlat)
            {
                (chunks[leaf++], position) = await WriteChunkAsync(output, fields[c].Leaves[0].Layout, columns, codec, position, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var nested in fields[c].Leaves)
            {
                var shredded = ColumnShredder.Shred(columns, nested, schema[c].Name);
                (chunks[leaf++], position) = await WriteNestedChunkAsync(output, nested, shredded, codec, position, cancellationToken).ConfigureAwait(false);
            }
        }

        rowGroups.Add(new RowGroupInfo(rows, chunks));
    }

    /// <summary>Writes the footer; the stream then holds a whole Parquet file.</summary>
    public async Task<ParquetWriteResult> FinishAsync(CancellationToken cancellationToken)
    {
        var footer = new ArrayBufferWriter<byte>();
        WriteFooter(new ThriftCompactWriter(footer), fields, rowGroups, codec);
        var tail = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, footer.WrittenCount);
        Magic.CopyTo(tail, 4);
        await output.WriteAsync(footer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
        return new ParquetWriteResult(Rows, stats);
    }

    /// <summary>
    /// A flat column's pages over the row group's parts, <see cref="PageRows"/> rows each (the last fewer); a page
    /// takes its rows from as many parts as it needs.
    /// </summary>
    private static async Task<(ChunkInfo Chunk, long Position)> WriteChunkAsync(
        Stream output, ParquetColumnLayout layout, IArrowArray[] parts, int codec, long position, CancellationToken cancellationToken)
    {
        var chunk = new ChunkInfo { DataPageOffset = position };
        long total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }

        var segments = new List<ColumnSegment>();
        var (current, offset) = (0, 0);
        long done = 0;
        do
        {
            var count = (int)Math.Min(PageRows, total - done);
            segments.Clear();
            for (var need = count; need > 0;)
            {
                if (offset == parts[current].Length)
                {
                    (current, offset) = (current + 1, 0);
                    continue;
                }

                var take = Math.Min(need, parts[current].Length - offset);
                segments.Add(new ColumnSegment(parts[current], offset, take));
                offset += take;
                need -= take;
            }

            var page = ArrayPool<byte>.Shared.Rent(Math.Max(1, ParquetPageEncoder.MaxSize(layout, CollectionsMarshal.AsSpan(segments))));
            try
            {
                var length = ParquetPageEncoder.Encode(layout, CollectionsMarshal.AsSpan(segments), page, ref chunk.Statistics);
                position = await WritePageAsync(output, page, length, count, codec, chunk, position, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(page);
            }

            done += count;
        }
        while (done < total);

        chunk.Values = total;
        return (chunk, position);
    }

    /// <summary>
    /// A nested leaf's pages: repetition levels, definition levels, then the values. Pages end at row
    /// boundaries (an entry of repetition level 0), after about <see cref="PageRows"/> entries.
    /// </summary>
    private static async Task<(ChunkInfo Chunk, long Position)> WriteNestedChunkAsync(
        Stream output, ParquetLeafColumn leaf, ShreddedLeaf shredded, int codec, long position, CancellationToken cancellationToken)
    {
        var chunk = new ChunkInfo { DataPageOffset = position, Nested = true };
        var repetitionWidth = LevelEncoder.BitWidth(leaf.MaxRepetitionLevel);
        var definitionWidth = LevelEncoder.BitWidth(leaf.MaxDefinitionLevel);
        var entries = shredded.EntryCount;
        var valueStart = 0;
        for (var start = 0; start < entries || start == 0;)
        {
            var end = Math.Min(entries, start + PageRows);
            while (end < entries && shredded.Repetitions.Length > 0 && shredded.Repetitions[end] != 0)
            {
                end++;
            }

            var definitions = shredded.Definitions.AsSpan(start, end - start);
            var valueCount = definitions.Count(leaf.MaxDefinitionLevel);
            var size = ParquetPageEncoder.MaxValuesSize(leaf.Layout, shredded.Values, valueStart, valueCount)
                + (repetitionWidth > 0 ? LevelEncoder.MaxSize(definitions.Length, repetitionWidth) : 0)
                + (definitionWidth > 0 ? LevelEncoder.MaxSize(definitions.Length, definitionWidth) : 0);
            var page = ArrayPool<byte>.Shared.Rent(Math.Max(1, size));
            try
            {
                var length = 0;
                if (repetitionWidth > 0)
                {
                    length += LevelEncoder.Write(shredded.Repetitions.AsSpan(start, end - start), repetitionWidth, page);
                }

                if (definitionWidth > 0)
                {
                    length += LevelEncoder.Write(definitions, definitionWidth, page.AsSpan(length));
                }

                length += ParquetPageEncoder.EncodeValues(leaf.Layout, shredded.Values, valueStart, valueCount, page.AsSpan(length), ref chunk.Statistics);
                position = await WritePageAsync(output, page, length, end - start, codec, chunk, position, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(page);
            }

            valueStart += valueCount;
            start = end;
            if (entries == 0)
            {
                break;
            }
        }

        chunk.Values = entries;
        return (chunk, position);
    }

    /// <summary>Compresses a page body and writes it behind its header.</summary>
    private static async Task<long> WritePageAsync(Stream output, byte[] page, int length, int values, int codec, ChunkInfo chunk, long position, CancellationToken cancellationToken)
    {
        byte[]? compressed = null;
        try
        {
            var body = page.AsMemory(0, length);
            if (codec == 1)
            {
                compressed = ArrayPool<byte>.Shared.Rent(Snappier.Snappy.GetMaxCompressedLength(length));
                body = compressed.AsMemory(0, Snappier.Snappy.Compress(page.AsSpan(0, length), compressed));
            }

            var header = new ArrayBufferWriter<byte>(64);
            WritePageHeader(new ThriftCompactWriter(header), values, length, body.Length);
            await output.WriteAsync(header.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            chunk.CompressedSize += header.WrittenCount + body.Length;
            chunk.UncompressedSize += header.WrittenCount + length;
            return position + header.WrittenCount + body.Length;
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    private static void WritePageHeader(ThriftCompactWriter thrift, int values, int uncompressed, int compressed)
    {
        thrift.BeginStruct();
        thrift.Field(1, 0); // DATA_PAGE
        thrift.Field(2, uncompressed);
        thrift.Field(3, compressed);
        thrift.BeginStructField(5);
        thrift.Field(1, values);
        thrift.Field(2, 0); // PLAIN
        thrift.Field(3, 3); // definition levels: RLE
        thrift.Field(4, 3); // repetition levels: RLE (none written for flat columns)
        thrift.EndStruct();
        thrift.EndStruct();
    }

    private static void WriteFooter(ThriftCompactWriter thrift, ParquetFieldLayout[] fields, List<RowGroupInfo> rowGroups, int codec)
    {
        var leaves = fields.SelectMany(f => f.Leaves).ToArray();
        thrift.BeginStruct();
        thrift.Field(1, 1); // format version
        thrift.StructListField(2, 1 + fields.Sum(f => f.SchemaElementCount));
        thrift.BeginStruct();
        thrift.Field(4, "schema");
        thrift.Field(5, fields.Length);
        thrift.EndStruct();
        foreach (var field in fields)
        {
            field.WriteSchemaElements(thrift);
        }

        thrift.Field(3, rowGroups.Sum(g => (long)g.Rows));
        thrift.StructListField(4, rowGroups.Count);
        foreach (var group in rowGroups)
        {
            thrift.BeginStruct();
            thrift.StructListField(1, group.Chunks.Length);
            for (var c = 0; c < group.Chunks.Length; c++)
            {
                WriteColumnChunk(thrift, leaves[c], group.Chunks[c], codec);
            }

            thrift.Field(2, group.Chunks.Sum(k => k.UncompressedSize));
            thrift.Field(3, (long)group.Rows);
            thrift.Field(5, group.Chunks[0].DataPageOffset);
            thrift.Field(6, group.Chunks.Sum(k => k.CompressedSize));
            thrift.EndStruct();
        }

        thrift.Field(6, "OrleansStreams");
        thrift.EndStruct();
    }

    private static void WriteColumnChunk(ThriftCompactWriter thrift, ParquetLeafColumn leaf, ChunkInfo chunk, int codec)
    {
        var layout = leaf.Layout;
        thrift.BeginStruct();
        thrift.Field(2, chunk.DataPageOffset);
        thrift.BeginStructField(3);
        thrift.Field(1, (int)layout.Physical);
        thrift.Field(2, leaf.MaxDefinitionLevel > 0 || leaf.MaxRepetitionLevel > 0 ? [0, 3] : (IReadOnlyList<int>)[0]); // PLAIN values, RLE levels
        thrift.Field(3, leaf.Path);
        thrift.Field(4, codec);
        thrift.Field(5, chunk.Values);
        thrift.Field(6, chunk.UncompressedSize);
        thrift.Field(7, chunk.CompressedSize);
        thrift.Field(9, chunk.DataPageOffset);
        if (!chunk.Nested)
        {
            // Nested leaves carry no statistics (optional in Parquet; Delta keeps none for nested columns).
            WriteStatistics(thrift, layout, chunk);
        }

        thrift.EndStruct();
        thrift.EndStruct();
    }

    private static void WriteStatistics(ThriftCompactWriter thrift, ParquetColumnLayout layout, ChunkInfo chunk)
    {
        thrift.BeginStructField(12);
        if (layout.HasOrderedStatistics && chunk.Statistics.HasBounds)
        {
            thrift.Field(1, Plain(layout, chunk.Statistics.Max)); // deprecated max/min, same order for signed integers
            thrift.Field(2, Plain(layout, chunk.Statistics.Min));
        }

        thrift.Field(3, chunk.Statistics.NullCount);
        if (layout.HasOrderedStatistics && chunk.Statistics.HasBounds)
        {
            thrift.Field(5, Plain(layout, chunk.Statistics.Max));
            thrift.Field(6, Plain(layout, chunk.Statistics.Min));
        }

        thrift.EndStruct();
    }

    private static byte[] Plain(ParquetColumnLayout layout, long value)
    {
        var bytes = new byte[layout.Physical == PhysicalType.Int32 ? 4 : 8];
        if (bytes.Length == 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        }

        return bytes;
    }

    private sealed record RowGroupInfo(int Rows, ChunkInfo[] Chunks);

    private sealed class ChunkInfo
    {
        public long DataPageOffset;
        public long Values;
        public long CompressedSize;
        public long UncompressedSize;
        public ChunkStatistics Statistics;
        public bool Nested;
    }
}
