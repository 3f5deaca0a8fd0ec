using OrleansStreams.Engine.Sql;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Client;

/// <summary>
/// Maintenance of one Delta table from the SDK, as <c>delta.tables.DeltaTable</c> offers it in PySpark:
/// <see cref="OptimizeAsync(string?, CancellationToken)"/>, <see cref="VacuumAsync"/>, <see cref="DetailAsync"/> and <see cref="HistoryAsync"/>.
/// Get one with <see cref="StreamingSession.DeltaTable(string)"/>; the SQL statements <c>OPTIMIZE</c>, <c>VACUUM</c> and
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
        var options = new OptimizeOptions { Where = where, MaxFileSize = SizeSetting(OptimizeOptions.MaxFileSizeSetting), MinFileSize = SizeSetting(OptimizeOptions.MinFileSizeSetting) };
        return await table.OptimizeAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the table lives (its folder or container URI).</summary>
    internal async Task<string> LocationAsync(CancellationToken cancellationToken = default) =>
        (await OpenAsync(cancellationToken).ConfigureAwait(false)).Table.Store.Root;

    private string? Setting(string key) => session.Settings.TryGetValue(key, out var value) ? value : null;

    private long? SizeSetting(string key) => Setting(key) is { } text ? Engine.Common.ByteSizeText.Parse(text, key) : null;

    /// <summary>The table behind the name or path, with its catalog name (null for a path).</summary>
    private async Task<(DeltaTable Table, string? CatalogName)> OpenAsync(CancellationToken cancellationToken)
    {
        var (table, entry) = await session.Relations.OpenAsync(name, cancellationToken).ConfigureAwait(false);
        return (table, entry?.QualifiedName);
    }
}
