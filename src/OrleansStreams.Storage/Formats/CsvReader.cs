using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Casts;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// Spark's csv source with a schema: fields map to columns by position (a header line is skipped),
/// <c>nullValue</c> text is NULL, and each column is converted from text with Spark's casts. A value that
/// does not convert is NULL in PERMISSIVE mode, drops its row in DROPMALFORMED, and fails the read in
/// FAILFAST naming the file, line and column.
/// </summary>
public sealed class CsvReader(FileFormatOptions options) : IFileFormatReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(Stream input, StructType schema, string filePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).AsMemory();
        var records = CsvRecordSplitter.Split(text, options).Skip(options.Header ? 1 : 0);
        var zone = ZoneRules.Get(options.TimeZone);
        foreach (var chunk in records.Chunk(options.BatchRows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Decode(chunk, schema, zone, filePath);
        }
    }

    private RecordBatch Decode((List<CsvRecordSplitter.Field> Fields, long Line)[] records, StructType schema, ZoneRules zone, string filePath)
    {
        var dropped = new HashSet<int>();
        var columns = new IArrowArray[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            var texts = new BytesBuilder(StringType.Instance, records.Length);
            foreach (var (fields, _) in records)
            {
                if (c >= fields.Count || (!fields[c].Quoted && fields[c].Text.Span.SequenceEqual(options.NullValue)))
                {
                    texts.AppendNull();
                }
                else
                {
                    texts.Append(Encoding.UTF8.GetBytes(fields[c].Text.ToArray()));
                }
            }

            var raw = texts.Build(records.Length);
            var converted = schema[c].Type is StringType ? raw : CastKernel.Cast(raw, StringType.Instance, schema[c].Type, zone);
            for (var r = 0; r < records.Length; r++)
            {
                if (converted.IsNull(r) && !raw.IsNull(r))
                {
                    Malformed(records[r].Line, schema[c], ((StringArray)raw).GetString(r), filePath, r, dropped);
                }
            }

            columns[c] = converted;
        }

        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), columns, records.Length);
        if (dropped.Count == 0)
        {
            return batch;
        }

        var kept = Enumerable.Range(0, records.Length).Where(r => !dropped.Contains(r)).ToArray();
        return new RecordBatch(batch.Schema, columns.Select(col => Gather.Take(col, kept)), kept.Length);
    }

    private void Malformed(long line, StructField field, string value, string filePath, int row, HashSet<int> dropped)
    {
        switch (options.Mode)
        {
            case ParseMode.FailFast:
                throw new MalformedRecordException(filePath, line, $"the value '{value}' of column {StructType.QuoteIdentifier(field.Name)} is not a valid {field.Type.SimpleString}");
            case ParseMode.DropMalformed:
                dropped.Add(row);
                break;
        }
    }
}
