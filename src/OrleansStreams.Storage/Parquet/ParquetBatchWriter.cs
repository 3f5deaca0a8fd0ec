using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Writes Arrow batches as a Parquet file, a whole column at a time: each column is handed to
/// Parquet.Net as its dense non-null values plus definition levels, with no object per row.
/// </summary>
public static class ParquetBatchWriter
{
    public static async Task<ParquetWriteResult> WriteAsync(
        Stream output,
        StructType schema,
        IReadOnlyList<RecordBatch> batches,
        ParquetWriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ParquetWriteOptions();
        var parquetSchema = ParquetSchemaMapping.ToParquet(schema);
        var fields = parquetSchema.DataFields;
        var stats = schema.Fields.ToDictionary(f => f.Name, _ => new ColumnStatistics(), StringComparer.Ordinal);
        long rows = 0;

        await using (var writer = await global::Parquet.ParquetWriter.CreateAsync(
            parquetSchema, output, new global::Parquet.ParquetOptions { CompressionMethod = options.Compression }, append: false, cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in batches)
            {
                for (var offset = 0; offset < batch.Length; offset += options.RowGroupSize)
                {
                    var part = offset == 0 && batch.Length <= options.RowGroupSize ? batch : batch.Slice(offset, Math.Min(options.RowGroupSize, batch.Length - offset));
                    using var rowGroup = writer.CreateRowGroup();
                    for (var c = 0; c < schema.Count; c++)
                    {
                        var column = part.Column(c);
                        stats[schema[c].Name].Add(column);
                        await WriteColumnAsync(rowGroup, fields[c], schema[c], column, cancellationToken).ConfigureAwait(false);
                    }

                    rowGroup.CompleteValidate();
                    rows += part.Length;
                }
            }
        }

        return new ParquetWriteResult(rows, stats);
    }

    private static Task WriteColumnAsync(global::Parquet.ParquetRowGroupWriter rowGroup, PqSchema.DataField field, StructField spark, IArrowArray column, CancellationToken ct)
    {
        if (!spark.Nullable && column.NullCount > 0)
        {
            throw new InvalidOperationException($"Column {StructType.QuoteIdentifier(spark.Name)} is declared NOT NULL but the data has {column.NullCount} null value(s)");
        }

        // Parquet.Net counts a column's rows by its definition levels, so required columns get all-zero levels.
        var levels = spark.Nullable ? DefinitionLevels(column) : new int[column.Length];
        return column switch
        {
            BooleanArray a => WriteAsync(rowGroup, field, Dense(column, i => a.GetValue(i)!.Value), levels, ct),
            Int8Array a => WriteAsync(rowGroup, field, Dense(column, a.Values), levels, ct),
            Int16Array a => WriteAsync(rowGroup, field, Dense(column, a.Values), levels, ct),
            Int32Array a => WriteAsync(rowGroup, field, Dense(column, a.Values), levels, ct),
            Int64Array a => WriteAsync(rowGroup, field, Dense(column, a.Values), levels, ct),
            FloatArray a => WriteAsync(rowGroup, field, Dense(column, a.Values), levels, ct),
            DoubleArray a => WriteAsync(rowGroup, field, Dense(column, a.Values), levels, ct),
            Decimal128Array a => WriteAsync(rowGroup, field, Dense(column, DecimalValues.Read(a)), levels, ct),
            Date32Array a => WriteAsync(rowGroup, field, Dense(column, i => DateTime.UnixEpoch.AddDays(a.Values[i])), levels, ct),
            TimestampArray a => WriteAsync(rowGroup, field, Dense(column, i => new DateTime(DateTime.UnixEpoch.Ticks + (a.Values[i] * 10), DateTimeKind.Utc)), levels, ct),
            StringArray a => WriteAsync(rowGroup, field, Chars(a), levels, ct),
            BinaryArray a => WriteAsync(rowGroup, field, Bytes(a), levels, ct),
            _ => throw new NotSupportedException($"Writing column {StructType.QuoteIdentifier(spark.Name)} ({column.Data.DataType.Name}) to Parquet is not supported"),
        };
    }

    private static Task WriteAsync<T>(global::Parquet.ParquetRowGroupWriter rowGroup, PqSchema.DataField field, T[] values, int[]? levels, CancellationToken ct)
        where T : struct =>
        rowGroup.WriteAllPartsAsync<T>(field, values, levels is null ? null : (ReadOnlyMemory<int>)levels, null, ct);

    private static int[] DefinitionLevels(IArrowArray column)
    {
        var levels = new int[column.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = column.IsNull(i) ? 0 : 1;
        }

        return levels;
    }

    private static T[] Dense<T>(IArrowArray column, ReadOnlySpan<T> values)
    {
        if (column.NullCount == 0)
        {
            return values.ToArray();
        }

        var dense = new T[column.Length - column.NullCount];
        var n = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (!column.IsNull(i))
            {
                dense[n++] = values[i];
            }
        }

        return dense;
    }

    private static T[] Dense<T>(IArrowArray column, Func<int, T> value)
    {
        var dense = new T[column.Length - column.NullCount];
        var n = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (!column.IsNull(i))
            {
                dense[n++] = value(i);
            }
        }

        return dense;
    }

    /// <summary>UTF-8 strings decoded once into one shared char buffer; each value is a slice of it.</summary>
    private static ReadOnlyMemory<char>[] Chars(StringArray column)
    {
        var chars = new char[Encoding.UTF8.GetMaxCharCount(column.ValueBuffer.Length)];
        var values = new ReadOnlyMemory<char>[column.Length - column.NullCount];
        int used = 0, n = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsNull(i))
            {
                continue;
            }

            var count = Encoding.UTF8.GetChars(column.GetBytes(i), chars.AsSpan(used));
            values[n++] = chars.AsMemory(used, count);
            used += count;
        }

        return values;
    }

    /// <summary>Binary values as slices of the Arrow value buffer (no copy).</summary>
    private static ReadOnlyMemory<byte>[] Bytes(BinaryArray column)
    {
        var data = column.ValueBuffer.Memory;
        var offsets = MemoryMarshal.Cast<byte, int>(column.ValueOffsetsBuffer.Span).Slice(column.Offset, column.Length + 1);
        var values = new ReadOnlyMemory<byte>[column.Length - column.NullCount];
        var n = 0;
        for (var i = 0; i < column.Length; i++)
        {
            if (!column.IsNull(i))
            {
                values[n++] = data[offsets[i]..offsets[i + 1]];
            }
        }

        return values;
    }
}
