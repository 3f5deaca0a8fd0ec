using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Casts;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// Spark's csv source with a schema: each column is converted from text with Spark's casts, and
/// <c>nullValue</c> text is NULL. Without a header, fields map to columns by position; with one, by the
/// header's names, as Auto Loader reads each file by its header (by position when no name matches, as
/// Spark's enforceSchema does). A record with more or fewer fields than the header (or schema) is
/// malformed, as is a value that does not convert — unless a rescued data column takes the value (and
/// the file's columns the schema lacks). Malformed records are kept with their text in the corrupt record
/// column (PERMISSIVE), dropped (DROPMALFORMED), or fail the read naming the file, line and column (FAILFAST).
/// Bytes that are not UTF-8 are read as U+FFFD, as Spark's decoder does, and reported.
/// </summary>
public sealed class CsvReader(FileFormatOptions options) : IFileFormatReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(
        Stream input, StructType schema, string filePath, FileReadReport? report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await FileContent.ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (report is not null && Utf8Text.FirstInvalid(bytes.Span) is var invalid && invalid >= 0)
        {
            report.ReplacedInvalidUtf8(FileContent.LineOf(bytes.Span, invalid));
        }

        var text = Encoding.UTF8.GetString(bytes.Span).AsMemory();
        using var records = CsvRecordSplitter.Split(text, options).GetEnumerator();
        var header = options.Header && records.MoveNext() ? records.Current : (CsvRecordSplitter.Record?)null;
        var layout = new Layout(schema, options, header, report);
        var decoder = new Decoder(options, layout, schema, filePath, report);
        foreach (var chunk in Remaining(records).Chunk(options.BatchRows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return decoder.Decode(chunk);
        }
    }

    private static IEnumerable<CsvRecordSplitter.Record> Remaining(IEnumerator<CsvRecordSplitter.Record> records)
    {
        while (records.MoveNext())
        {
            yield return records.Current;
        }
    }

    /// <summary>Which field of a record each schema column takes, the special columns, and the file's columns the schema lacks.</summary>
    private sealed class Layout
    {
        public Layout(StructType schema, FileFormatOptions options, CsvRecordSplitter.Record? header, FileReadReport? report)
        {
            Corrupt = JsonRecordDecoder.StringColumn(schema, options.CorruptRecordColumn);
            Rescue = options.RescuedDataColumn is { } rescue ? JsonRecordDecoder.StringColumn(schema, rescue) : -1;
            var data = Enumerable.Range(0, schema.Count).Where(c => c != Corrupt && c != Rescue).ToList();
            Source = Enumerable.Repeat(-1, schema.Count).ToArray();
            if (header is not { } names)
            {
                for (var i = 0; i < data.Count; i++)
                {
                    Source[data[i]] = i;
                }

                ExpectedFields = data.Count;
                return;
            }

            var headerNames = names.Fields.Select(f => f.Text.ToString()).ToList();
            ExpectedFields = headerNames.Count;
            var exactOnly = Rescue >= 0; // with rescued data, a name differing in case is rescued, not matched
            foreach (var c in data)
            {
                var exact = headerNames.IndexOf(schema[c].Name);
                Source[c] = exact >= 0 || exactOnly ? exact : headerNames.FindIndex(n => string.Equals(n, schema[c].Name, StringComparison.OrdinalIgnoreCase));
            }

            if (data.Count > 0 && data.All(c => Source[c] < 0) && !exactOnly)
            {
                // No header name is a schema column: the header only labels the fields, which map by position.
                for (var i = 0; i < data.Count; i++)
                {
                    Source[data[i]] = i < headerNames.Count ? i : -1;
                }

                return;
            }

            var taken = Source.Where(s => s >= 0).ToHashSet();
            for (var i = 0; i < headerNames.Count; i++)
            {
                if (taken.Contains(i))
                {
                    continue;
                }

                Unmapped.Add((i, headerNames[i]));
                if (schema.IndexOf(headerNames[i]) < 0)
                {
                    report?.UnknownField(headerNames[i], names.Line);
                }
            }
        }

        public int Corrupt { get; }

        public int Rescue { get; }

        /// <summary>Per schema column, the index of the record field it takes, or -1.</summary>
        public int[] Source { get; }

        /// <summary>The header's (or schema's) field count: a record with another count is malformed.</summary>
        public int ExpectedFields { get; }

        /// <summary>The file's columns no schema column takes (by header name), whose values go to the rescued data.</summary>
        public List<(int Index, string Name)> Unmapped { get; } = [];
    }

    /// <summary>Turns chunks of records into batches, a column at a time.</summary>
    private sealed class Decoder(FileFormatOptions options, Layout layout, StructType schema, string filePath, FileReadReport? report)
    {
        private readonly ZoneRules zone = ZoneRules.Get(options.TimeZone);
        private readonly ArrayBufferWriter<byte> json = new();

        public RecordBatch Decode(CsvRecordSplitter.Record[] records)
        {
            var malformed = new SortedDictionary<int, string>();
            for (var r = 0; r < records.Length; r++)
            {
                if (records[r].Fields.Count != layout.ExpectedFields)
                {
                    malformed[r] = $"the record has {records[r].Fields.Count} fields where {(options.Header ? "the header" : "the schema")} has {layout.ExpectedFields}";
                }
            }

            var columns = new IArrowArray[schema.Count];
            bool[][]? mismatched = layout.Rescue >= 0 ? new bool[schema.Count][] : null;
            for (var c = 0; c < schema.Count; c++)
            {
                if (c == layout.Corrupt || c == layout.Rescue)
                {
                    continue;
                }

                var raw = Texts(records, layout.Source[c]);
                var converted = schema[c].Type is StringType ? raw : CastKernel.Cast(raw, StringType.Instance, schema[c].Type, zone);
                for (var r = 0; r < records.Length; r++)
                {
                    if (!converted.IsNull(r) || raw.IsNull(r))
                    {
                        continue;
                    }

                    if (mismatched is not null)
                    {
                        (mismatched[c] ??= new bool[records.Length])[r] = true;
                    }
                    else if (!malformed.ContainsKey(r))
                    {
                        malformed[r] = $"the value '{((StringArray)raw).GetString(r)}' of column {StructType.QuoteIdentifier(schema[c].Name)} is not a valid {schema[c].Type.SimpleString}";
                    }
                }

                columns[c] = converted;
            }

            foreach (var (r, reason) in malformed)
            {
                report?.Malformed(records[r].Line, reason, records[r].Text.Span);
                if (options.Mode == ParseMode.FailFast)
                {
                    throw new MalformedRecordException(filePath, records[r].Line, reason);
                }
            }

            if (layout.Corrupt >= 0)
            {
                columns[layout.Corrupt] = CorruptTexts(records, malformed);
            }

            if (layout.Rescue >= 0)
            {
                columns[layout.Rescue] = RescuedData(records, columns, mismatched!);
            }

            var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), columns, records.Length);
            if (malformed.Count == 0 || options.Mode != ParseMode.DropMalformed)
            {
                return batch;
            }

            var kept = Enumerable.Range(0, records.Length).Where(r => !malformed.ContainsKey(r)).ToArray();
            return new RecordBatch(batch.Schema, columns.Select(col => Gather.Take(col, kept)), kept.Length);
        }

        /// <summary>The text of field <paramref name="index"/> of each record as a string column (NULL for nullValue or a missing field).</summary>
        private IArrowArray Texts(CsvRecordSplitter.Record[] records, int index)
        {
            var texts = new BytesBuilder(StringType.Instance, records.Length);
            foreach (var record in records)
            {
                if (Value(record, index) is { } value)
                {
                    Append(texts, value.Span);
                }
                else
                {
                    texts.AppendNull();
                }
            }

            return texts.Build(records.Length);
        }

        private ReadOnlyMemory<char>? Value(CsvRecordSplitter.Record record, int index) =>
            index < 0 || index >= record.Fields.Count || (!record.Fields[index].Quoted && record.Fields[index].Text.Span.SequenceEqual(options.NullValue))
                ? (ReadOnlyMemory<char>?)null
                : record.Fields[index].Text;

        private IArrowArray CorruptTexts(CsvRecordSplitter.Record[] records, SortedDictionary<int, string> malformed)
        {
            var texts = new BytesBuilder(StringType.Instance, records.Length);
            for (var r = 0; r < records.Length; r++)
            {
                if (malformed.ContainsKey(r))
                {
                    Append(texts, records[r].Text.Span);
                }
                else
                {
                    texts.AppendNull();
                }
            }

            return texts.Build(records.Length);
        }

        /// <summary>Per record, the values that did not fit — of the wrong type, or in columns the schema lacks — as JSON with the file path.</summary>
        private IArrowArray RescuedData(CsvRecordSplitter.Record[] records, IArrowArray[] columns, bool[]?[] mismatched)
        {
            var texts = new BytesBuilder(StringType.Instance, records.Length);
            using var writer = new Utf8JsonWriter(json, RescuedJson.WriterOptions);
            for (var r = 0; r < records.Length; r++)
            {
                json.ResetWrittenCount();
                writer.Reset(json);
                var any = false;
                for (var c = 0; c < schema.Count; c++)
                {
                    if (mismatched[c]?[r] == true)
                    {
                        Property(writer, ref any, schema[c].Name, Value(records[r], layout.Source[c])!.Value.Span);
                    }
                }

                foreach (var (index, name) in layout.Unmapped)
                {
                    if (Value(records[r], index) is { } value)
                    {
                        Property(writer, ref any, name, value.Span);
                    }
                }

                if (!any)
                {
                    texts.AppendNull();
                    continue;
                }

                writer.WriteString(RescuedJson.FilePathField, filePath);
                writer.WriteEndObject();
                writer.Flush();
                texts.Append(json.WrittenSpan);
                report?.Rescued();
            }

            return texts.Build(records.Length);
        }

        private static void Property(Utf8JsonWriter writer, ref bool any, string name, ReadOnlySpan<char> value)
        {
            if (!any)
            {
                writer.WriteStartObject();
                any = true;
            }

            writer.WriteString(name, value);
        }

        private static void Append(BytesBuilder texts, ReadOnlySpan<char> value)
        {
            var span = texts.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
            texts.Commit(Encoding.UTF8.GetBytes(value, span));
        }
    }
}
