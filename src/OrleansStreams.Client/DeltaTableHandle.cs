using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Client;

/// <summary>
/// Maintenance of one Delta table from the SDK, as <c>delta.tables.DeltaTable</c> offers it in PySpark:
/// <see cref="OptimizeAsync"/>, <see cref="VacuumAsync"/>, <see cref="DetailAsync"/> and <see cref="HistoryAsync"/>.
/// Get one with <see cref="StreamingSession.DeltaTable"/>; the SQL statements <c>OPTIMIZE</c>, <c>VACUUM</c> and
/// <c>DESCRIBE DETAIL</c> run through the same methods. The session's settings apply
/// (<c>spark.databricks.delta.optimize.maxFileSize</c>, <c>spark.databricks.delta.retentionDurationCheck.enabled</c>).
/// </summary>
public sealed class DeltaTableHandle
{
    private readonly StreamingSession session;
    private readonly QualifiedName name;

    internal DeltaTableHandle(StreamingSession session, QualifiedName name)
    {
        this.session = session;
        this.name = name;
    }

    /// <summary>Compacts small files (<c>OPTIMIZE</c>); <paramref name="where"/> is a SQL predicate on partition columns.</summary>
    public async Task<OptimizeMetrics> OptimizeAsync(string? where = null, CancellationToken cancellationToken = default) =>
        await OptimizeAsync(where is null ? null : SqlParser.ParseExpression(where), cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes files the table stopped referencing more than <paramref name="retentionHours"/> ago (default: the table's retention, 7 days).</summary>
    public async Task<VacuumResult> VacuumAsync(double? retentionHours = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var (table, _) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await table.VacuumAsync(
            new VacuumOptions
            {
                Retention = retentionHours is { } hours ? TimeSpan.FromHours(hours) : null,
                DryRun = dryRun,
                RetentionCheckEnabled = !string.Equals(Setting(VacuumOptions.RetentionCheckSetting), "false", StringComparison.OrdinalIgnoreCase),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table's format, location, size, properties and protocol (<c>DESCRIBE DETAIL</c>).</summary>
    public async Task<TableDetail> DetailAsync(CancellationToken cancellationToken = default)
    {
        var (table, catalogName) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return TableDetail.Of(snapshot, table.Store.Root, catalogName);
    }

    /// <summary>Every commit still in the log, newest first (<c>DESCRIBE HISTORY</c>).</summary>
    public async Task<IReadOnlyList<DeltaHistoryEntry>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        var (table, _) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await table.Log.GetHistoryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task<OptimizeMetrics> OptimizeAsync(Engine.Expressions.Expression? where, CancellationToken cancellationToken)
    {
        var (table, _) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var max = Setting(OptimizeOptions.MaxFileSizeSetting) is { } maxText ? Engine.Common.ByteSizeText.Parse(maxText, OptimizeOptions.MaxFileSizeSetting) : (long?)null;
        var min = Setting(OptimizeOptions.MinFileSizeSetting) is { } minText ? Engine.Common.ByteSizeText.Parse(minText, OptimizeOptions.MinFileSizeSetting) : (long?)null;
        return await table.OptimizeAsync(new OptimizeOptions { Where = where, MaxFileSize = max, MinFileSize = min }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the table lives (its folder or container URI).</summary>
    internal async Task<string> LocationAsync(CancellationToken cancellationToken = default) =>
        (await OpenAsync(cancellationToken).ConfigureAwait(false)).Table.Store.Root;

    private string? Setting(string key) => session.Settings.TryGetValue(key, out var value) ? value : null;

    /// <summary>The table behind the name or path, with its catalog name (null for a path).</summary>
    private async Task<(DeltaTable Table, string? CatalogName)> OpenAsync(CancellationToken cancellationToken)
    {
        DeltaTable table;
        string? catalogName = null;
        if (name.TryGetPath(out var format, out var path))
        {
            if (format != "delta")
            {
                throw new AnalysisException("DELTA_ONLY_OPERATION", $"{name} is a {format} path; OPTIMIZE, VACUUM and DESCRIBE DETAIL need a Delta table");
            }

            table = new DeltaTable(session.Stores.Create(path));
        }
        else
        {
            (table, var entry) = await session.Relations.OpenAsync(name.ToString(), cancellationToken).ConfigureAwait(false);
            catalogName = entry.QualifiedName;
        }

        await DeltaRelations.EnsureExistsAsync(table, name.ToString(), cancellationToken).ConfigureAwait(false);
        return (table, catalogName);
    }
}
