using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;
using Spectre.Console;

namespace OrleansStreams.Cli.Output;

/// <summary>Prints cluster queries: a table (one row per query, or one query's details) or one JSON object per line.</summary>
internal sealed class ClusterQueryWriter(CliConsole console)
{
    /// <summary>Times keep their '+' and paths their characters: the output is for people and tools, not for HTML.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void WriteJson(IEnumerable<ClusterQuery> queries)
    {
        foreach (var query in queries)
        {
            console.Output.WriteLine(query.ToJson().ToJsonString(Json));
        }

        console.Output.Flush();
    }

    public void WriteTable(IReadOnlyList<ClusterQuery> queries)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("query", "state", "sink", "last batch", "input rows", "rows/s", "backlog", "last progress", "silo");
        foreach (var query in queries)
        {
            var last = query.LastProgress;
            table.AddRow(
                Markup.Escape(query.Name),
                Markup.Escape(query.State),
                Markup.Escape(query.Registration.Sink),
                last is null ? "-" : last.BatchId.ToString(CultureInfo.InvariantCulture),
                last is null ? "-" : last.NumInputRows.ToString("N0", CultureInfo.InvariantCulture),
                last is null ? "-" : last.ProcessedRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                Backlog(last),
                last is null ? "-" : last.Timestamp.ToString("u", CultureInfo.InvariantCulture),
                Markup.Escape(query.Running ? query.Status.Silo : "-"));
        }

        console.Ansi.Write(table);
    }

    /// <summary>One query: where it is and what its last batch did.</summary>
    public void WriteDetails(ClusterQuery query)
    {
        var last = query.LastProgress;
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
        void Row(string field, string? value) => table.AddRow(Markup.Escape(field), Markup.Escape(value ?? "-"));
        Row("query", query.Name);
        Row("state", query.State);
        Row("sink", query.Registration.Sink);
        Row("checkpoint", query.Registration.CheckpointLocation);
        Row("started", query.Registration.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        Row("stopped", query.Registration.StoppedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("silo", query.Running ? query.Status.Silo : null);
        Row("error", query.Error);
        Row("last batch", last?.BatchId.ToString(CultureInfo.InvariantCulture));
        Row("batch time", last?.Timestamp.ToString("u", CultureInfo.InvariantCulture));
        Row("input rows", last?.NumInputRows.ToString("N0", CultureInfo.InvariantCulture));
        Row("rows/s", last?.ProcessedRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        Row("batch duration", last is null ? null : string.Create(CultureInfo.InvariantCulture, $"{last.DurationMs.GetValueOrDefault("triggerExecution")} ms"));
        Row("backlog", last is null ? null : Backlog(last));
        foreach (var source in last?.Sources ?? [])
        {
            Row("source", $"{source.Description}: {source.NumInputRows:N0} rows, offsets {source.StartOffset ?? "-"} → {source.EndOffset ?? "-"}");
        }

        console.Ansi.Write(table);
    }

    /// <summary>Files discovered and not yet processed, when the sources report it.</summary>
    private static string Backlog(StreamingQueryProgress? last) =>
        last is not null && SourceProgress.FilesOutstanding(last.Sources.Select(s => s.Metrics)) is { } files ? string.Create(CultureInfo.InvariantCulture, $"{files:N0} files") : "-";
}
