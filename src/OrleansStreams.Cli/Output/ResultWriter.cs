using System.Text;
using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;
using Spectre.Console;
using Table = Spectre.Console.Table;

namespace OrleansStreams.Cli.Output;

/// <summary>Prints query results as a table, JSON lines or CSV.</summary>
internal sealed class ResultWriter(IAnsiConsole console, TextWriter output, ZoneRules zone)
{
    public void Write(StructType schema, IReadOnlyList<RecordBatch> batches, ResultFormat format, string? title = null)
    {
        switch (format)
        {
            case ResultFormat.Json:
                WriteJson(batches);
                break;
            case ResultFormat.Csv:
                WriteCsv(schema, batches);
                break;
            default:
                WriteTable(schema, batches, title);
                break;
        }
    }

    private void WriteTable(StructType schema, IReadOnlyList<RecordBatch> batches, string? title)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title($"[bold]{Markup.Escape(title)}[/]");
        }

        foreach (var field in schema.Fields)
        {
            var column = new TableColumn(Markup.Escape(field.Name));
            table.AddColumn(IsNumeric(field.Type) ? column.RightAligned() : column);
        }

        var rows = 0L;
        foreach (var batch in batches)
        {
            var cells = CellValues.Text(batch, zone);
            for (var r = 0; r < batch.Length; r++)
            {
                table.AddRow(cells.Select(c => c[r] is { } text ? new Text(text) : new Text("NULL", new Style(Color.Grey))).ToArray<Spectre.Console.Rendering.IRenderable>());
            }

            rows += batch.Length;
        }

        if (schema.Fields.Count > 0)
        {
            console.Write(table);
        }

        console.MarkupLine($"[grey]{rows} row{(rows == 1 ? string.Empty : "s")}[/]");
    }

    private void WriteJson(IReadOnlyList<RecordBatch> batches)
    {
        using var buffer = new MemoryStream();
        foreach (var batch in batches)
        {
            for (var r = 0; r < batch.Length; r++)
            {
                buffer.SetLength(0);
                using (var json = new Utf8JsonWriter(buffer))
                {
                    CellValues.WriteRow(json, batch, r, zone);
                }

                output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }
        }

        output.Flush();
    }

    private void WriteCsv(StructType schema, IReadOnlyList<RecordBatch> batches)
    {
        output.WriteLine(string.Join(",", schema.Fields.Select(f => Quote(f.Name))));
        foreach (var batch in batches)
        {
            var cells = CellValues.Text(batch, zone);
            for (var r = 0; r < batch.Length; r++)
            {
                output.WriteLine(string.Join(",", cells.Select(c => c[r] is { } text ? Quote(text) : string.Empty)));
            }
        }

        output.Flush();
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    private static bool IsNumeric(DataType type) => type is ByteType or ShortType or IntegerType or LongType or FloatType or DoubleType or DecimalType;
}
