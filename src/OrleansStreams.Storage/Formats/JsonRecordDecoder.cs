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
/// With a rescued data column, names match exactly only, and what does not fit — unknown fields, values
/// of the wrong type, names differing in case — goes there as JSON (raw values, plus <c>_file_path</c>)
/// instead of making the record malformed.
/// </summary>
internal sealed class JsonRecordDecoder
{
    /// <summary>How many non-matching names are remembered as bytes, so they cost no string per record.</summary>
    private const int MaxRememberedNames = 256;

    private readonly StructType schema;
    private readonly byte[][] names;
    private readonly int corruptColumn;
    private readonly int rescueColumn;
    private readonly ZoneRules zone;
    private readonly bool[] seen;
    private readonly List<(byte[] Name, int Field)> otherNames = [];
    private readonly ArrayBufferWriter<byte> rescued = new();
    private readonly byte[] filePathTail;
    private readonly FileReadReport? report;
    private long line;

    public JsonRecordDecoder(StructType schema, FileFormatOptions options, ZoneRules zone, string filePath, FileReadReport? report)
    {
        this.schema = schema;
        this.zone = zone;
        this.report = report;
        names = schema.Fields.Select(f => Encoding.UTF8.GetBytes(f.Name)).ToArray();
        corruptColumn = StringColumn(schema, options.CorruptRecordColumn);
        rescueColumn = options.RescuedDataColumn is { } rescue ? StringColumn(schema, rescue) : -1;
        seen = new bool[schema.Count];
        filePathTail = Encoding.UTF8.GetBytes($",\"_file_path\":{JsonSerializer.Serialize(filePath, RescuedJson.Options)}}}");
    }

    /// <summary>The index of a STRING column by name, or -1.</summary>
    internal static int StringColumn(StructType schema, string name) => schema.IndexOf(name) is var c && c >= 0 && schema[c].Type is StringType ? c : -1;

    /// <summary>Appends one row for <paramref name="record"/>; returns false (after appending a row of NULLs) when it is malformed.</summary>
    /// <param name="validateUtf8">Check the record is UTF-8 (only needed when its file is not).</param>
    public bool Decode(ReadOnlySpan<byte> record, long recordLine, ColumnBuilder[] builders, bool validateUtf8, out string? error)
    {
        System.Array.Clear(seen);
        rescued.ResetWrittenCount();
        line = recordLine;
        error = null;
        if (validateUtf8 && Utf8Text.FirstInvalid(record) is var bad && bad >= 0)
        {
            error = $"the record is not valid UTF-8 (byte 0x{record[bad]:X2} at column {bad + 1})";
            NullifyRow(builders);
            AppendCorrupt(builders, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record)));
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(record, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a record must be a JSON object");
            }

            var previous = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // A property name token starts at its opening quote; its raw (still escaped) text is the value span.
                var nameStart = (int)reader.TokenStartIndex;
                var nameLength = reader.ValueSpan.Length + 2;
                var field = FieldOf(ref reader, previous + 1);
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                if (field < 0 || field == corruptColumn || field == rescueColumn || seen[field])
                {
                    reader.Skip();
                    if (field < 0 && rescueColumn >= 0)
                    {
                        Rescue(record, nameStart, nameLength, valueStart, (int)reader.BytesConsumed);
                    }

                    continue;
                }

                seen[field] = true;
                previous = field;
                if (!DecodeValue(ref reader, record, builders[field], schema[field].Type))
                {
                    if (rescueColumn >= 0)
                    {
                        Rescue(record, nameStart, nameLength, valueStart, (int)reader.BytesConsumed);
                    }
                    else
                    {
                        error ??= $"field {StructType.QuoteIdentifier(schema[field].Name)} does not hold a {schema[field].Type.SimpleString}";
                    }
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
            if (!seen[f] && f != corruptColumn && f != rescueColumn)
            {
                builders[f].AppendNull();
            }
        }

        if (rescueColumn >= 0)
        {
            AppendRescued((BytesBuilder)builders[rescueColumn]);
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

    /// <summary>Adds <c>"name":value</c> (both raw JSON from the record) to this record's rescued data.</summary>
    private void Rescue(ReadOnlySpan<byte> record, int nameStart, int nameLength, int valueStart, int valueEnd)
    {
        rescued.Write(rescued.WrittenCount == 0 ? "{"u8 : ","u8);
        rescued.Write(record.Slice(nameStart, nameLength));
        rescued.Write(":"u8);
        rescued.Write(record[valueStart..valueEnd]);
    }

    private void AppendRescued(BytesBuilder column)
    {
        if (rescued.WrittenCount == 0)
        {
            column.AppendNull();
            return;
        }

        rescued.Write(filePathTail);
        column.Append(rescued.WrittenSpan);
        report?.Rescued();
    }

    /// <summary>
    /// The schema column of the current property name, or -1. The column after the previous one is tried
    /// first (fields usually come in schema order); names that match no column exactly are remembered as bytes.
    /// </summary>
    private int FieldOf(ref Utf8JsonReader reader, int expected)
    {
        if (expected < names.Length && reader.ValueTextEquals(names[expected]))
        {
            return expected;
        }

        for (var f = 0; f < names.Length; f++)
        {
            if (reader.ValueTextEquals(names[f]))
            {
                return f;
            }
        }

        foreach (var (name, field) in otherNames)
        {
            if (reader.ValueTextEquals(name))
            {
                return field;
            }
        }

        var text = reader.GetString()!;
        var caseInsensitive = schema.IndexOf(text);
        if (caseInsensitive < 0)
        {
            report?.UnknownField(text, line);
        }

        // With a rescued data column a name that differs in case is rescued, not matched (Auto Loader's case-sensitive reader).
        var result = rescueColumn >= 0 ? -1 : caseInsensitive;
        if (otherNames.Count < MaxRememberedNames)
        {
            otherNames.Add((Encoding.UTF8.GetBytes(text), result));
        }

        return result;
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
