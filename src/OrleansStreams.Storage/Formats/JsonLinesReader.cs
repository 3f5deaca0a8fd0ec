using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// JSON files as Spark's json source reads them: one object per line (blank lines skipped, CRLF and a
/// UTF-8 BOM accepted), or with <c>multiLine</c> one object or an array of objects per file. Records are
/// decoded straight into Arrow columns, <see cref="FileFormatOptions.BatchRows"/> at a time.
/// </summary>
public sealed class JsonLinesReader(FileFormatOptions options) : IFileFormatReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(
        Stream input, StructType schema, string filePath, FileReadReport? report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var content = await FileContent.ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        if (content.Span.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        // One vectorized pass over the file; records are checked one by one only when it has bytes that are not UTF-8.
        var validateRecords = Utf8Text.FirstInvalid(content.Span) >= 0;
        var decoder = new JsonRecordDecoder(schema, options, ZoneRules.Get(options.TimeZone), filePath, report);
        foreach (var chunk in Records(content, options.MultiLine).Chunk(options.BatchRows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Decode(chunk, schema, decoder, filePath, validateRecords, report);
        }
    }

    /// <summary>The records of a file with their 1-based lines: one per non-blank line, or with <c>multiLine</c> the document or its array's elements.</summary>
    internal static IEnumerable<(ReadOnlyMemory<byte> Text, long Line)> Records(ReadOnlyMemory<byte> content, bool multiLine) =>
        multiLine ? MultiLineRecords(content) : Lines(content);

    private RecordBatch Decode((ReadOnlyMemory<byte> Text, long Line)[] records, StructType schema, JsonRecordDecoder decoder, string filePath, bool validateUtf8, FileReadReport? report)
    {
        var builders = schema.Fields.Select(f => ColumnBuilder.For(f.Type, records.Length)).ToArray();
        List<int>? dropped = null;
        for (var r = 0; r < records.Length; r++)
        {
            if (decoder.Decode(records[r].Text.Span, records[r].Line, builders, validateUtf8, out var error))
            {
                continue;
            }

            report?.Malformed(records[r].Line, error!, records[r].Text.Span);
            switch (options.Mode)
            {
                case ParseMode.FailFast:
                    throw new MalformedRecordException(filePath, records[r].Line, error!);
                case ParseMode.DropMalformed:
                    (dropped ??= []).Add(r);
                    break;
            }
        }

        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), builders.Select(b => b.Build(records.Length)), records.Length);
        if (dropped is null)
        {
            return batch;
        }

        var kept = Enumerable.Range(0, records.Length).Except(dropped).ToArray();
        return new RecordBatch(batch.Schema, Enumerable.Range(0, batch.ColumnCount).Select(c => Gather.Take(batch.Column(c), kept)), kept.Length);
    }

    /// <summary>Non-blank lines with their 1-based line numbers; a trailing CR is dropped.</summary>
    private static IEnumerable<(ReadOnlyMemory<byte> Text, long Line)> Lines(ReadOnlyMemory<byte> content)
    {
        long line = 0;
        while (!content.IsEmpty)
        {
            line++;
            var end = content.Span.IndexOf((byte)'\n');
            var text = end < 0 ? content : content[..end];
            content = end < 0 ? ReadOnlyMemory<byte>.Empty : content[(end + 1)..];
            if (!text.IsEmpty && text.Span[^1] == (byte)'\r')
            {
                text = text[..^1];
            }

            if (!text.Span.Trim(" \t"u8).IsEmpty)
            {
                yield return (text, line);
            }
        }
    }

    /// <summary>multiLine: the whole file is one record, or an array whose elements are the records.</summary>
    private static IEnumerable<(ReadOnlyMemory<byte> Text, long Line)> MultiLineRecords(ReadOnlyMemory<byte> content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            // The file as a whole is the malformed record; the decoder reports it by the chosen mode.
            return [(content, 1)];
        }

        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return elements.Select(e => ((ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e.GetRawText()), 1L)).ToList();
        }
    }
}
