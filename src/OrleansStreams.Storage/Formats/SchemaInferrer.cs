using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// Infers one schema from a sample of files, file by file, as Auto Loader does. JSON: the fields of every
/// object, sorted by name (as Spark's JSON inference sorts them); CSV: the header's names (or <c>_c0</c>,
/// <c>_c1</c>, …); Parquet: the files' own schemas. With <paramref name="inferTypes"/> false — Auto Loader's
/// default for JSON and CSV — every column is a STRING (nested JSON objects and arrays too, as their JSON text);
/// with it, JSON numbers are BIGINT or DOUBLE, booleans BOOLEAN, objects STRUCT and arrays ARRAY, and CSV columns
/// INT, BIGINT, DOUBLE or BOOLEAN when all their values are; a column whose files disagree takes the wider type,
/// or STRING. Names that differ only in case are one column (the first spelling seen).
/// </summary>
public sealed class SchemaInferrer(string format, FileFormatOptions options, bool inferTypes)
{
    private readonly List<StructField> fields = [];

    /// <summary>Whether a JSON record of the sample was malformed (Spark then adds the corrupt record column in PERMISSIVE mode).</summary>
    public bool SawMalformedRecords { get; private set; }

    public int Files { get; private set; }

    public async Task AddFileAsync(Stream content, CancellationToken cancellationToken = default)
    {
        Files++;
        switch (format.ToLowerInvariant())
        {
            case "json":
                AddJson(await FileContent.ReadAllAsync(content, cancellationToken).ConfigureAwait(false));
                break;
            case "csv":
                AddCsv(await FileContent.ReadAllAsync(content, cancellationToken).ConfigureAwait(false));
                break;
            case "parquet":
                var buffer = new MemoryStream();
                await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                buffer.Position = 0;
                if (buffer.Length > 0)
                {
                    Merge(await ParquetBatchReader.ReadSchemaAsync(buffer, cancellationToken).ConfigureAwait(false));
                }

                break;
            case "text":
                Merge(TextLinesReader.DefaultSchema);
                break;
            default:
                throw new ArgumentException($"Schema inference does not support the {format} format: give the schema");
        }
    }

    /// <summary>The schema of everything added: void columns become STRING; JSON struct fields are sorted by name.</summary>
    public StructType Result()
    {
        var schema = (StructType)Finish(new StructType(fields));
        return format.Equals("json", StringComparison.OrdinalIgnoreCase) ? (StructType)Sorted(schema) : schema;
    }

    /// <summary>The wider of two inferred types: Spark's implicit widening for atomic types, field-wise for structs, else STRING.</summary>
    public static DataType Widen(DataType a, DataType b) => (a, b) switch
    {
        _ when a.Equals(b) => a,
        (_, NullType) => a,
        (NullType, _) => b,
        (StructType x, StructType y) => MergeStructs(x, y),
        (ArrayType x, ArrayType y) => new ArrayType(Widen(x.ElementType, y.ElementType), x.ContainsNull || y.ContainsNull),
        (MapType x, MapType y) => new MapType(Widen(x.KeyType, y.KeyType), Widen(x.ValueType, y.ValueType), x.ValueContainsNull || y.ValueContainsNull),
        _ when TypeCoercion.IsAtomic(a) && TypeCoercion.IsAtomic(b) => TypeCoercion.Wider(a, b) ?? StringType.Instance,
        _ => StringType.Instance,
    };

    /// <summary>The fields of <paramref name="a"/> (widened with <paramref name="b"/>'s), then <paramref name="b"/>'s new ones; names match case-insensitively.</summary>
    public static StructType MergeStructs(StructType a, StructType b)
    {
        var merged = a.Fields.Select(f => b.Find(f.Name) is { } other ? f.WithType(Widen(f.Type, other.Type)) : f).ToList();
        merged.AddRange(b.Fields.Where(f => a.Find(f.Name) is null));
        return new StructType(merged);
    }

    private void Merge(StructType schema)
    {
        foreach (var field in schema)
        {
            Merge(field.Name, field.Type);
        }
    }

    private void Merge(string name, DataType type)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                if (!fields[i].Type.Equals(type))
                {
                    fields[i] = fields[i].WithType(Widen(fields[i].Type, type));
                }

                return;
            }
        }

        fields.Add(new StructField(name, type));
    }

    private void AddJson(ReadOnlyMemory<byte> content)
    {
        if (content.Span.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        var validate = Utf8Text.FirstInvalid(content.Span) >= 0;
        foreach (var (record, _) in JsonLinesReader.Records(content, options.MultiLine))
        {
            if (validate && Utf8Text.FirstInvalid(record.Span) >= 0)
            {
                SawMalformedRecords = true;
                continue;
            }

            try
            {
                var reader = new Utf8JsonReader(record.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    SawMalformedRecords = true;
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    Merge(name, inferTypes ? InferValue(ref reader) : SkipAsString(ref reader));
                }
            }
            catch (JsonException)
            {
                SawMalformedRecords = true;
            }
        }
    }

    private static DataType SkipAsString(ref Utf8JsonReader reader)
    {
        var isNull = reader.TokenType == JsonTokenType.Null;
        reader.Skip();
        return isNull ? NullType.Instance : StringType.Instance;
    }

    private static DataType InferValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<StructField>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    var type = InferValue(ref reader);
                    var existing = members.FindIndex(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (existing < 0)
                    {
                        members.Add(new StructField(name, type));
                    }
                    else
                    {
                        members[existing] = members[existing].WithType(Widen(members[existing].Type, type));
                    }
                }

                return new StructType(members);
            case JsonTokenType.StartArray:
                DataType element = NullType.Instance;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    element = Widen(element, InferValue(ref reader));
                }

                return new ArrayType(element);
            case JsonTokenType.Number:
                return reader.TryGetInt64(out _) ? LongType.Instance : DoubleType.Instance;
            case JsonTokenType.True or JsonTokenType.False:
                return BooleanType.Instance;
            case JsonTokenType.Null:
                return NullType.Instance;
            default:
                return StringType.Instance;
        }
    }

    private void AddCsv(ReadOnlyMemory<byte> content)
    {
        var text = Encoding.UTF8.GetString(content.Span.StartsWith("\uFEFF"u8) ? content.Span[3..] : content.Span).AsMemory();
        using var records = CsvRecordSplitter.Split(text, options).GetEnumerator();
        List<string>? names = null;
        if (options.Header)
        {
            if (!records.MoveNext())
            {
                return; // an empty file adds no columns
            }

            names = HeaderNames(records.Current.Fields.Select(f => f.Text.ToString()).ToList());
        }

        var types = names?.Select(_ => (DataType)NullType.Instance).ToList() ?? [];

        while (records.MoveNext())
        {
            var record = records.Current.Fields;
            for (var i = 0; i < record.Count; i++)
            {
                if (i >= types.Count)
                {
                    if (names is not null)
                    {
                        break; // fields beyond the header have no name; the record is malformed when read
                    }

                    types.Add(NullType.Instance);
                }

                if (!record[i].Quoted && record[i].Text.Span.SequenceEqual(options.NullValue))
                {
                    continue;
                }

                var type = inferTypes ? CsvValueType(record[i].Text.Span) : StringType.Instance;
                types[i] = Widen(types[i], type);
            }
        }

        for (var i = 0; i < types.Count; i++)
        {
            Merge(names?[i] ?? $"_c{i}", types[i]);
        }
    }

    /// <summary>Spark's header names: an empty one becomes <c>_c{i}</c>; duplicates (case-insensitive) get their position appended.</summary>
    private static List<string> HeaderNames(List<string> header)
    {
        var names = header.Select((n, i) => string.IsNullOrEmpty(n) ? $"_c{i}" : n).ToList();
        var duplicated = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return names.Select((n, i) => duplicated.Contains(n) ? $"{n}{i}" : n).ToList();
    }

    private static DataType CsvValueType(ReadOnlySpan<char> text)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return IntegerType.Instance;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return LongType.Instance;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return DoubleType.Instance;
        }

        return text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? BooleanType.Instance
            : StringType.Instance;
    }

    private static DataType Finish(DataType type) => type switch
    {
        NullType => StringType.Instance,
        StructType s => new StructType(s.Fields.Select(f => f.WithType(Finish(f.Type)))),
        ArrayType a => new ArrayType(Finish(a.ElementType), a.ContainsNull),
        MapType m => new MapType(Finish(m.KeyType), Finish(m.ValueType), m.ValueContainsNull),
        _ => type,
    };

    private static DataType Sorted(DataType type) => type switch
    {
        StructType s => new StructType(s.Fields.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.WithType(Sorted(f.Type)))),
        ArrayType a => new ArrayType(Sorted(a.ElementType), a.ContainsNull),
        _ => type,
    };
}
