using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>Spark's text source: a <c>value</c> string column, one row per line (or the whole file with <c>wholetext</c>).</summary>
public sealed class TextLinesReader(FileFormatOptions options) : IFileFormatReader
{
    public static readonly StructType DefaultSchema = new(new StructField("value", StringType.Instance));

    public async IAsyncEnumerable<RecordBatch> ReadAsync(
        Stream input, StructType schema, string filePath, FileReadReport? report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (schema.Count != 1 || schema[0].Type is not StringType)
        {
            throw new ArgumentException($"The text format reads one string column (value STRING), not {schema.ToDdl()} ({filePath})");
        }

        var content = await FileContent.ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        var lines = options.WholeText ? [content] : SplitLines(content);
        foreach (var chunk in lines.Chunk(options.BatchRows))
        {
            var builder = new BytesBuilder(StringType.Instance, chunk.Length);
            foreach (var line in chunk)
            {
                builder.Append(line.Span);
            }

            yield return new RecordBatch(ArrowTypes.ToArrowSchema(schema), [builder.Build(chunk.Length)], chunk.Length);
        }
    }

    private static List<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> content)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        while (!content.IsEmpty)
        {
            var end = content.Span.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            lines.Add(!line.IsEmpty && line.Span[^1] == (byte)'\r' ? line[..^1] : line);
            content = end < 0 ? ReadOnlyMemory<byte>.Empty : content[(end + 1)..];
        }

        return lines;
    }
}
