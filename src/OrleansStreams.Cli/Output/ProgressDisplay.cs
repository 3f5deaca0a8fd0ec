using System.Globalization;
using OrleansStreams.Runtime.Streaming;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansStreams.Cli.Output;

/// <summary>One line of the progress display: a table, what it is doing, and its query once started.</summary>
internal sealed record ProgressRow(string Table, string State, StreamingQuery? Query);

/// <summary>
/// Live progress of streaming queries while some work runs: on a terminal a table redrawn four times a second
/// (batch id, input rows, rows/s of the last batch, state); in a pipe or file one line per finished batch.
/// </summary>
internal sealed class ProgressDisplay(CliConsole console)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public async Task ShowAsync(string title, Func<IReadOnlyList<ProgressRow>> rows, Task work)
    {
        console.Ansi.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        if (console.Interactive)
        {
            await console.Ansi.Live(Render(rows())).AutoClear(false).StartAsync(async live =>
            {
                while (!work.IsCompleted)
                {
                    await Task.WhenAny(work, Task.Delay(Refresh)).ConfigureAwait(false);
                    live.UpdateTarget(Render(rows()));
                }
            }).ConfigureAwait(false);
        }
        else
        {
            var printed = new HashSet<(Guid RunId, long BatchId)>();
            while (!work.IsCompleted)
            {
                PrintNew(rows(), printed);
                await Task.WhenAny(work, Task.Delay(Refresh)).ConfigureAwait(false);
            }

            PrintNew(rows(), printed);
        }

        await work.ConfigureAwait(false);
    }

    private void PrintNew(IReadOnlyList<ProgressRow> rows, HashSet<(Guid, long)> printed)
    {
        foreach (var row in rows)
        {
            foreach (var progress in row.Query?.RecentProgress ?? [])
            {
                if (printed.Add((progress.RunId, progress.BatchId)))
                {
                    console.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Table,-20} batch {progress.BatchId,-4} {progress.NumInputRows,10:N0} input rows {progress.ProcessedRowsPerSecond,12:N0} rows/s"));
                }
            }
        }

        console.Output.Flush();
    }

    private static IRenderable Render(IReadOnlyList<ProgressRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("table");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("batch").RightAligned());
        table.AddColumn(new TableColumn("input rows").RightAligned());
        table.AddColumn(new TableColumn("rows/s").RightAligned());
        foreach (var row in rows)
        {
            var progress = row.Query?.RecentProgress ?? [];
            var last = progress.Count > 0 ? progress[^1] : null;
            table.AddRow(
                Markup.Escape(row.Table),
                Markup.Escape(row.State),
                last is null ? "-" : last.BatchId.ToString(CultureInfo.InvariantCulture),
                progress.Sum(p => p.NumInputRows).ToString("N0", CultureInfo.InvariantCulture),
                last is null ? "-" : last.ProcessedRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
