using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// Decodes one JSON object per call straight into the column builders with Utf8JsonReader: no
/// document, no string per value for strings, numbers, binary (base64) and timestamps. Fields
/// match by exact name, then case-insensitively; unknown fields are skipped; missing ones are NULL.
/// A value of the wrong type makes its field NULL and the record "malformed" (kept or not by mode).
/// </summary>
internal sealed class JsonRecordDecoder
{
    private readonly StructType schema;
    private readonly byte[][] names;
    private readonly int corruptColumn;
    private readonly ZoneRules zone;
    private readonly bool[] seen;
    private int expected; // the field after the last one matched: records usually list fields in the same order

    public JsonRecordDecoder(StructType schema, string corruptRecordColumn, ZoneRules zone)
    {
        this.schema = schema;
        this.zone = zone;
        names = schema.Fields.Select(f => Encoding.UTF8.GetBytes(f.Name)).ToArray();
        corruptColumn = schema.IndexOf(corruptRecordColumn) is var c && c >= 0 && schema[c].Type is StringType ? c : -1;
        seen = new bool[schema.Count];
    }

    /// <summary>Appends one row for <paramref name="record"/>; returns false (after appending a row of NULLs) when it is malformed.</summary>
    public bool Decode(ReadOnlySpan<byte> record, ColumnBuilder[] builders, out string? error)
    {
        System.Array.Clear(seen);
        expected = 0;
        error = null;
        try
        {
            var reader = new Utf8JsonReader(record, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a record must be a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                if (field < 0 || seen[field] || field == corruptColumn)
                {
                    reader.Skip();
                    continue;
                }

                seen[field] = true;
                if (!DecodeValue(ref reader, record, builders[field], schema[field].Type))
                {
                    error ??= $"field {StructType.QuoteIdentifier(schema[field].Name)} does not hold a {schema[field].Type.SimpleString}";
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new JsonException("unexpected content after the record");
            }
        }
        catch (JsonException e)
        {
            error = e.Message;
            NullifyRow(builders);
            AppendCorrupt(builders, record);
            return false;
        }

        for (var f = 0; f < builders.Length; f++)
        {
            if (!seen[f] && f != corruptColumn)
            {
                builders[f].AppendNull();
            }
        }

        if (error is not null)
        {
            AppendCorrupt(builders, record);
            return false;
        }

        if (corruptColumn >= 0)
        {
            builders[corruptColumn].AppendNull();
        }

        return true;
    }

    /// <summary>Undoes a partly decoded row: values appended become NULL, the rest get a NULL.</summary>
    private void NullifyRow(ColumnBuilder[] builders)
    {
        for (var f = 0; f < builders.Length; f++)
        {
            if (f == corruptColumn)
            {
                continue;
            }

            if (seen[f])
            {
                builders[f].NullifyLast();
            }
            else
            {
                builders[f].AppendNull();
            }
        }
    }

    private void AppendCorrupt(ColumnBuilder[] builders, ReadOnlySpan<byte> record)
    {
        if (corruptColumn >= 0)
        {
            ((BytesBuilder)builders[corruptColumn]).Append(record);
        }
    }

    private int FieldOf(ref Utf8JsonReader reader)
    {
        if (expected < names.Length && reader.ValueTextEquals(names[expected]))
        {
            return expected++;
        }

        for (var f = 0; f < names.Length; f++)
        {
            if (reader.ValueTextEquals(names[f]))
            {
                expected = f + 1;
                return f;
            }
        }

        var name = reader.GetString();
        return schema.IndexOf(name!);
    }

    private bool DecodeValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, ColumnBuilder builder, DataType type)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            builder.AppendNull();
            return true;
        }

        switch (builder)
        {
            case BytesBuilder bytes when type is BinaryType:
                return Base64Value(ref reader, bytes);
            case BytesBuilder text:
                TextValue(ref reader, record, text);
                return true;
            case FixedBuilder<long> longs when type is LongType && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l):
                longs.Append(l);
                return true;
            case FixedBuilder<int> ints when type is IntegerType && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i):
                ints.Append(i);
                return true;
            case FixedBuilder<short> shorts when reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out var s):
                shorts.Append(s);
                return true;
            case FixedBuilder<sbyte> bytes8 when reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out var b):
                bytes8.Append(b);
                return true;
            case FixedBuilder<double> doubles when TryFloating(ref reader, out var d):
                doubles.Append(d);
                return true;
            case FixedBuilder<float> floats when TryFloating(ref reader, out var f):
                floats.Append((float)f);
                return true;
            case BooleanBuilder booleans when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                booleans.Append(reader.GetBoolean());
                return true;
            case FixedBuilder<long> micros when type is TimestampType or TimestampNtzType && TryTimestamp(ref reader, out var t):
                micros.Append(t);
                return true;
            case FixedBuilder<int> days when type is DateType && reader.TokenType == JsonTokenType.String && DateTimeParser.TryParseDate(Unescaped(ref reader), out var day):
                days.Append(day);
                return true;
            case ScalarBuilder scalars:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var value = JsonScalars.ToScalar(document.RootElement, type, zone);
                    scalars.Append(value);
                    return value is not null;
                }

            default:
                reader.Skip();
                builder.AppendNull();
                return false;
        }
    }

    /// <summary>A string field takes a JSON string's text, or the raw JSON of any other value (as Spark does).</summary>
    private static void TextValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, BytesBuilder text)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.ValueIsEscaped)
            {
                text.Append(reader.ValueSpan);
                return;
            }

            var span = text.GetSpan(reader.ValueSpan.Length);
            text.Commit(reader.CopyString(span));
            return;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        text.Append(record[start..(int)reader.BytesConsumed]);
    }

    /// <summary>Binary fields hold base64 text in JSON (how Kafka keys and values arrive).</summary>
    private static bool Base64Value(ref Utf8JsonReader reader, BytesBuilder bytes)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            bytes.AppendNull();
            return false;
        }

        var encoded = reader.ValueIsEscaped ? Unescaped(ref reader) : reader.ValueSpan;
        var span = bytes.GetSpan(Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
        if (Base64.DecodeFromUtf8(encoded, span, out _, out var written) != OperationStatus.Done)
        {
            bytes.AppendNull();
            return false;
        }

        bytes.Commit(written);
        return true;
    }

    private static bool TryFloating(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out value);
        }

        value = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(Unescaped(ref reader));
        (var ok, value) = text switch
        {
            "NaN" => (true, double.NaN),
            "Infinity" or "+Infinity" or "+INF" => (true, double.PositiveInfinity),
            "-Infinity" or "-INF" => (true, double.NegativeInfinity),
            _ => (false, 0d),
        };
        return ok;
    }

    private bool TryTimestamp(ref Utf8JsonReader reader, out long micros)
    {
        micros = 0;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds))
        {
            micros = seconds * 1_000_000; // a number in a timestamp field is seconds since the epoch
            return true;
        }

        return reader.TokenType == JsonTokenType.String && DateTimeParser.TryParseTimestamp(Unescaped(ref reader), zone, out micros);
    }

    private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var buffer = new byte[reader.ValueSpan.Length];
        return buffer.AsSpan(0, reader.CopyString(buffer));
    }
}
