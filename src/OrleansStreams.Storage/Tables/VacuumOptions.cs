namespace OrleansStreams.Storage.Tables;

/// <summary>What <c>VACUUM t [RETAIN n HOURS] [DRY RUN]</c> asks.</summary>
public sealed record VacuumOptions
{
    /// <summary>The Spark setting that, set to false, allows a retention shorter than the table's.</summary>
    public const string RetentionCheckSetting = "spark.databricks.delta.retentionDurationCheck.enabled";

    /// <summary>Files removed from the table longer ago than this are deleted; null: the table's <c>delta.deletedFileRetentionDuration</c> (7 days).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>List what would be deleted without deleting it.</summary>
    public bool DryRun { get; init; }

    /// <summary>Refuse a retention shorter than the table's (readers of older versions and writers in flight need those files).</summary>
    public bool RetentionCheckEnabled { get; init; } = true;
}

/// <summary>What a VACUUM deleted (or, in a dry run, would delete): keys relative to the table folder.</summary>
public sealed record VacuumResult(IReadOnlyList<string> Files, long Bytes, bool DryRun, TimeSpan Retention);
