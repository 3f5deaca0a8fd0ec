using Parquet.Data;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>Reads one leaf column of a row group with its levels, whatever its CLR type.</summary>
internal static class ParquetLeafReader
{
    public static async Task<ParquetLeaf> ReadAsync(global::Parquet.ParquetRowGroupReader rowGroup, PqSchema.DataField field, long rowCount, CancellationToken ct)
    {
        using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, ct).ConfigureAwait(false);
        var values = Values(raw, field);
        var definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : [];
        var repetitions = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : [];
        if (definitions.Length == 0)
        {
            // A required flat column: every entry is defined.
            definitions = new int[rowCount];
            Array.Fill(definitions, field.MaxDefinitionLevel);
        }

        return new ParquetLeaf(field, definitions, repetitions, values);
    }

    private static object Values(RawColumnData raw, PqSchema.DataField field) => raw switch
    {
        RawColumnData<bool> r => r.Values.ToArray(),
        RawColumnData<sbyte> r => r.Values.ToArray(),
        RawColumnData<byte> r => r.Values.ToArray(),
        RawColumnData<short> r => r.Values.ToArray(),
        RawColumnData<ushort> r => r.Values.ToArray(),
        RawColumnData<int> r => r.Values.ToArray(),
        RawColumnData<uint> r => r.Values.ToArray(),
        RawColumnData<long> r => r.Values.ToArray(),
        RawColumnData<ulong> r => r.Values.ToArray(),
        RawColumnData<float> r => r.Values.ToArray(),
        RawColumnData<double> r => r.Values.ToArray(),
        RawColumnData<decimal> r => r.Values.ToArray(),
        RawColumnData<BigDecimal> r => Unscaled(r.Values, field),
        RawColumnData<DateTime> r => r.Values.ToArray(),
        RawColumnData<DateOnly> r => r.Values.ToArray(),
        RawColumnData<ReadOnlyMemory<char>> r => EncodeUtf8(r.Values),
        RawColumnData<ReadOnlyMemory<byte>> r => CopyBytes(r.Values),
        _ => throw new NotSupportedException($"Parquet column {field.Path} holds {field.ClrType.Name} values, which this reader does not decode"),
    };

    /// <summary>Decimals beyond .NET's 28 digits arrive as BigDecimal: keep their unscaled values (Arrow's Decimal128 form).</summary>
    private static UnscaledDecimals Unscaled(Span<BigDecimal> values, PqSchema.DataField field)
    {
        var unscaled = new Int128[values.Length];
        var scale = field is PqSchema.DecimalDataField d ? d.Scale : 0;
        for (var i = 0; i < values.Length; i++)
        {
            unscaled[i] = (Int128)values[i].UnscaledValue;
        }

        return new UnscaledDecimals(unscaled, scale);
    }

    /// <summary>Strings come back as UTF-16 slices of pooled buffers: re-encode them as UTF-8 into one buffer of our own.</summary>
    private static ReadOnlyMemory<byte>[] EncodeUtf8(Span<ReadOnlyMemory<char>> values)
    {
        var total = 0;
        foreach (var v in values)
        {
            total += System.Text.Encoding.UTF8.GetByteCount(v.Span);
        }

        var buffer = new byte[total];
        var encoded = new ReadOnlyMemory<byte>[values.Length];
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var n = System.Text.Encoding.UTF8.GetBytes(values[i].Span, buffer.AsSpan(at));
            encoded[i] = buffer.AsMemory(at, n);
            at += n;
        }

        return encoded;
    }

    // The raw buffers are pooled and returned on dispose: keep our own copy of the bytes.
    private static ReadOnlyMemory<byte>[] CopyBytes(Span<ReadOnlyMemory<byte>> values)
    {
        var total = 0;
        foreach (var v in values)
        {
            total += v.Length;
        }

        var buffer = new byte[total];
        var copies = new ReadOnlyMemory<byte>[values.Length];
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i].Span.CopyTo(buffer.AsSpan(at));
            copies[i] = buffer.AsMemory(at, values[i].Length);
            at += values[i].Length;
        }

        return copies;
    }
}
