using System.Globalization;
using System.Text.Json;
using OrleansStreams.Client;
using OrleansStreams.Storage.Delta;
using Spectre.Console;

namespace OrleansStreams.Cli.Commands;

/// <summary>What <c>tables</c>, <c>describe</c> and <c>history</c> print, read from the catalog and the Delta logs.</summary>
internal sealed class TableCatalog(StreamingSession session, CliConsole console)
{
    public async Task ListAsync(CancellationToken cancellationToken)
    {
        var tables = await session.Catalog.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var grid = new Table().Border(TableBorder.Rounded).AddColumns("table", "version", "files", "size", "location");
        foreach (var entry in tables)
        {
            var description = await session.Catalog.DescribeAsync(entry.QualifiedName, cancellationToken).ConfigureAwait(false);
            grid.AddRow(Markup.Escape(Name(entry)), description.Version.ToString(CultureInfo.InvariantCulture), description.FileCount.ToString(CultureInfo.InvariantCulture), Size(description.SizeInBytes), Markup.Escape(session.Catalog.OpenStore(entry).Root));
        }

        console.Ansi.Write(grid);
        console.Ansi.MarkupLine($"[grey]{tables.Count} table{(tables.Count == 1 ? string.Empty : "s")} in {Markup.Escape(session.Options.Warehouse)}[/]");
    }

    public async Task DescribeAsync(string name, CancellationToken cancellationToken)
    {
        var description = await DescribeTableAsync(name, cancellationToken).ConfigureAwait(false);
        var snapshot = await new DeltaLog(session.Catalog.OpenStore(description.Table)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = RowsFromStats(snapshot) ?? await CountAsync(name, cancellationToken).ConfigureAwait(false);

        var schema = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(Name(description.Table))}[/]").AddColumns("column", "type", "nullable", "partition");
        foreach (var field in snapshot.Schema.Fields)
        {
            var partition = snapshot.PartitionColumns.Contains(field.Name, StringComparer.OrdinalIgnoreCase);
            schema.AddRow(Markup.Escape(field.Name), Markup.Escape(field.Type.SimpleString), field.Nullable ? "yes" : "no", partition ? "yes" : string.Empty);
        }

        console.Ansi.Write(schema);
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("location", Markup.Escape(session.Catalog.OpenStore(description.Table).Root));
        facts.AddRow("partition columns", snapshot.PartitionColumns.Count == 0 ? "(none)" : Markup.Escape(string.Join(", ", snapshot.PartitionColumns)));
        facts.AddRow("version", description.Version.ToString(CultureInfo.InvariantCulture));
        facts.AddRow("files", description.FileCount.ToString(CultureInfo.InvariantCulture));
        facts.AddRow("size", Size(description.SizeInBytes));
        facts.AddRow("rows", rows.ToString(CultureInfo.InvariantCulture));
        console.Ansi.Write(facts);
    }

    public async Task HistoryAsync(string name, CancellationToken cancellationToken)
    {
        var table = await ResolveAsync(name, cancellationToken).ConfigureAwait(false);
        var history = await new DeltaLog(session.Catalog.OpenStore(table)).GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        var grid = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(Name(table))}[/]").AddColumns("version", "timestamp", "operation", "parameters");
        foreach (var entry in history)
        {
            var parameters = entry.CommitInfo?.OperationParameters.Select(p => $"{p.Key}={p.Value}") ?? [];
            grid.AddRow(
                entry.Version.ToString(CultureInfo.InvariantCulture),
                entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(entry.CommitInfo?.Operation ?? string.Empty),
                Markup.Escape(string.Join(", ", parameters)));
        }

        console.Ansi.Write(grid);
    }

    private async Task<TableDescription> DescribeTableAsync(string name, CancellationToken cancellationToken)
    {
        await ResolveAsync(name, cancellationToken).ConfigureAwait(false);
        return await session.Catalog.DescribeAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table, or an error that lists the tables there are.</summary>
    private async Task<CatalogTable> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Catalog.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (TableNotFoundException)
        {
            var known = await session.Catalog.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            throw new TableNotFoundException(known.Count == 0
                ? $"{name} (the warehouse {session.Options.Warehouse} has no tables)"
                : $"{name} (tables in {session.Options.Warehouse}: {string.Join(", ", known.Select(Name))})");
        }
    }

    /// <summary>The row count from the add actions' stats (less the rows deletion vectors hide), when every file has them.</summary>
    private static long? RowsFromStats(DeltaSnapshot snapshot)
    {
        long total = 0;
        foreach (var file in snapshot.ActiveFiles)
        {
            if (FileStats.LiveRecords(file) is not { } rows)
            {
                return null;
            }

            total += rows;
        }

        return total;
    }

    private async Task<long> CountAsync(string name, CancellationToken cancellationToken)
    {
        var batches = await session.CollectAsync(session.Sql($"SELECT count(*) FROM {name}")!, cancellationToken).ConfigureAwait(false);
        return ((Apache.Arrow.Int64Array)batches[0].Column(0)).GetValue(0) ?? 0;
    }

    private static string Name(CatalogTable table) => table.Database == DeltaCatalog.DefaultDatabase ? table.Name : table.QualifiedName;

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MB"),
    };
}
