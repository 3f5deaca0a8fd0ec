using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Spark's console sink: prints each batch as a table (the first 20 rows).</summary>
public sealed class ConsoleSink(TextWriter output, int maxRows = 20) : IStreamSink
{
    public string Description => "ConsoleSink";

    public bool Supports(OutputMode mode) => true;

    public Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken)
    {
        var text = new StringBuilder().Append("-------------------------------------------\nBatch: ").Append(batchId).Append("\n-------------------------------------------\n");
        var cells = rows.SelectMany(b => Enumerable.Range(0, b.Length).Select(r => Enumerable.Range(0, b.ColumnCount).Select(c => Format(Columns.GetScalar(b.Column(c), r))).ToArray())).Take(maxRows).ToList();
        var widths = schema.Fields.Select((f, c) => Math.Max(f.Name.Length, cells.Select(r => r[c].Length).DefaultIfEmpty(0).Max())).ToArray();
        var line = "+" + string.Join("+", widths.Select(w => new string('-', w))) + "+";
        text.AppendLine(line).AppendLine("|" + string.Join("|", schema.Fields.Select((f, c) => f.Name.PadLeft(widths[c]))) + "|").AppendLine(line);
        foreach (var row in cells)
        {
            text.AppendLine("|" + string.Join("|", row.Select((v, c) => v.PadLeft(widths[c]))) + "|");
        }

        output.Write(text.AppendLine(line).ToString());
        return Task.CompletedTask;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "[" + Convert.ToHexString(bytes) + "]",
        object?[] items => "{" + string.Join(", ", items.Select(Format)) + "}",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
