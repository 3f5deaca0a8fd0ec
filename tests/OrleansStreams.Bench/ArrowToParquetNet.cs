using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Types;
using Parquet;
using Parquet.Schema;
using StructField = OrleansStreams.Engine.Types.StructField;

namespace OrleansStreams.Bench;

/// <summary>
/// What writing our batches with Parquet.Net takes: each column's Arrow chunks gathered into the arrays its column
/// API wants (the non-null values, typed as .NET values, and a definition level per row), then written.
/// Binary values are slices of the Arrow buffers; strings are decoded to UTF-16, which Parquet.Net encodes back.
/// </summary>
internal static class ArrowToParquetNet
{
    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static DataField Field(StructField field) => field.Type switch
    {
        BooleanType => new DataField(field.Name, typeof(bool), field.Nullable),
        ByteType => new DataField(field.Name, typeof(sbyte), field.Nullable),
        ShortType => new DataField(field.Name, typeof(short), field.Nullable),
        IntegerType => new DataField(field.Name, typeof(int), field.Nullable),
        LongType => new DataField(field.Name, typeof(long), field.Nullable),
        FloatType => new DataField(field.Name, typeof(float), field.Nullable),
        DoubleType => new DataField(field.Name, typeof(double), field.Nullable),
        DecimalType d => new DecimalDataField(field.Name, d.Precision, d.Scale, isNullable: field.Nullable),
        DateType => new DataField(field.Name, typeof(DateOnly), field.Nullable),
        TimestampType => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, DateTimeTimeUnit.Micros, field.Nullable),
        TimestampNtzType => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, DateTimeTimeUnit.Micros, field.Nullable),
        StringType => new DataField(field.Name, typeof(string), field.Nullable),
        BinaryType => new DataField(field.Name, typeof(byte[]), field.Nullable),
        _ => throw new NotSupportedException($"no Parquet.Net field for {field.Type.SimpleString}"),
    };

    /// <summary>Converts and writes one column chunk; returns the seconds the conversion took.</summary>
    public static Task<double> WriteAsync(ParquetRowGroupWriter group, DataField field, IReadOnlyList<IArrowArray> chunks) => chunks[0] switch
    {
        BooleanArray => WriteAsync(group, field, chunks, (a, i) => ((BooleanArray)a).GetValue(i) == true),
        Int8Array => WriteAsync(group, field, chunks, (a, i) => ((Int8Array)a).Values[i]),
        Int16Array => WriteAsync(group, field, chunks, (a, i) => ((Int16Array)a).Values[i]),
        Int32Array => WriteAsync(group, field, chunks, (a, i) => ((Int32Array)a).Values[i]),
        Int64Array => WriteAsync(group, field, chunks, (a, i) => ((Int64Array)a).Values[i]),
        FloatArray => WriteAsync(group, field, chunks, (a, i) => ((FloatArray)a).Values[i]),
        DoubleArray => WriteAsync(group, field, chunks, (a, i) => ((DoubleArray)a).Values[i]),
        Decimal128Array => WriteAsync(group, field, chunks, (a, i) => ((Decimal128Array)a).GetValue(i)!.Value),
        Date32Array => WriteAsync(group, field, chunks, (a, i) => DateOnly.FromDayNumber(EpochDay + ((Date32Array)a).Values[i])),
        TimestampArray => WriteAsync(group, field, chunks, (a, i) => DateTime.UnixEpoch.AddTicks(((TimestampArray)a).Values[i] * 10)),
        StringArray => WriteStringsAsync(group, field, chunks),
        BinaryArray => WriteAsync(group, field, chunks, (a, i) => Slice((BinaryArray)a, i)),
        var other => throw new NotSupportedException($"no Parquet.Net conversion for {other.Data.DataType.Name}"),
    };

    /// <summary>Strings decoded into one UTF-16 buffer for the column, each value a slice of it.</summary>
    private static async Task<double> WriteStringsAsync(ParquetRowGroupWriter group, DataField field, IReadOnlyList<IArrowArray> chunks)
    {
        var chars = ArrayPool<char>.Shared.Rent((int)chunks.Sum(c => (long)((StringArray)c).ValueBuffer.Length));
        try
        {
            var at = 0;
            return await WriteAsync(group, field, chunks, (a, i) =>
            {
                var length = Encoding.UTF8.GetChars(((StringArray)a).GetBytes(i), chars.AsSpan(at));
                at += length;
                return new ReadOnlyMemory<char>(chars, at - length, length);
            });
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static ReadOnlyMemory<byte> Slice(BinaryArray array, int index)
    {
        var offsets = array.ValueOffsets;
        return array.ValueBuffer.Memory.Slice(offsets[index], offsets[index + 1] - offsets[index]);
    }

    /// <summary>Gathers the non-null values (<paramref name="value"/> of a chunk and row) and the definition levels, then writes.</summary>
    private static async Task<double> WriteAsync<T>(ParquetRowGroupWriter group, DataField field, IReadOnlyList<IArrowArray> chunks, Func<IArrowArray, int, T> value)
        where T : struct
    {
        var watch = Stopwatch.StartNew();
        var rows = chunks.Sum(c => c.Length);
        var values = ArrayPool<T>.Shared.Rent(rows);
        var levels = field.IsNullable ? ArrayPool<int>.Shared.Rent(rows) : null;
        try
        {
            var count = 0;
            var row = 0;
            foreach (var chunk in chunks)
            {
                for (var i = 0; i < chunk.Length; i++, row++)
                {
                    var valid = chunk.IsValid(i);
                    if (levels is not null)
                    {
                        levels[row] = valid ? field.MaxDefinitionLevel : field.MaxDefinitionLevel - 1;
                    }

                    if (valid)
                    {
                        values[count++] = value(chunk, i);
                    }
                }
            }

            var seconds = watch.Elapsed.TotalSeconds;
            await group.WriteAllPartsAsync<T>(field, values.AsMemory(0, count), levels is null ? null : levels.AsMemory(0, rows), null, CancellationToken.None);
            return seconds;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            if (levels is not null)
            {
                ArrayPool<int>.Shared.Return(levels);
            }
        }
    }
}
