using System.Globalization;
using OrleansStreams.Engine.Common;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The Delta table properties (<c>TBLPROPERTIES</c>) that steer the log and its maintenance, with Delta's
/// defaults. A property that is set but cannot be read is an error naming it, not a silent default.
/// </summary>
public static class TableProperties
{
    public const string CheckpointInterval = "delta.checkpointInterval";
    public const string LogRetentionDuration = "delta.logRetentionDuration";
    public const string EnableExpiredLogCleanup = "delta.enableExpiredLogCleanup";
    public const string DeletedFileRetentionDuration = "delta.deletedFileRetentionDuration";
    public const string AutoCompact = "delta.autoOptimize.autoCompact";

    public const int DefaultCheckpointInterval = 10;
    public static readonly TimeSpan DefaultLogRetention = TimeSpan.FromDays(30);
    public static readonly TimeSpan DefaultDeletedFileRetention = TimeSpan.FromDays(7);

    /// <summary>Every how many commits a checkpoint is written.</summary>
    public static int CheckpointIntervalOf(MetadataAction metadata)
    {
        if (!metadata.Configuration.TryGetValue(CheckpointInterval, out var text))
        {
            return DefaultCheckpointInterval;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var interval) && interval > 0
            ? interval
            : throw new ArgumentException($"Table property {CheckpointInterval} must be a positive whole number, not '{text}'");
    }

    /// <summary>How long commits stay in the log (time travel reaches this far back); <c>interval 30 days</c> by default.</summary>
    public static TimeSpan LogRetentionOf(MetadataAction metadata) => Interval(metadata, LogRetentionDuration, DefaultLogRetention);

    /// <summary>How long removed data files stay for readers of older versions before VACUUM may delete them; <c>interval 1 week</c> by default.</summary>
    public static TimeSpan DeletedFileRetentionOf(MetadataAction metadata) => Interval(metadata, DeletedFileRetentionDuration, DefaultDeletedFileRetention);

    /// <summary>Whether checkpoints clean up log files older than <see cref="LogRetentionOf"/> (on by default).</summary>
    public static bool ExpiredLogCleanupEnabled(MetadataAction metadata) => Flag(metadata, EnableExpiredLogCleanup, defaultValue: true);

    /// <summary>Whether writes compact the small files of the partitions they wrote (Databricks' auto compaction; off by default).</summary>
    public static bool AutoCompactEnabled(MetadataAction metadata) =>
        metadata.Configuration.TryGetValue(AutoCompact, out var text)
        && (text.Trim().ToLowerInvariant() switch
        {
            "true" or "auto" or "legacy" => true,
            "false" => false,
            _ => throw new ArgumentException($"Table property {AutoCompact} must be true, auto, legacy or false, not '{text}'"),
        });

    /// <summary>Reads every property this class knows in <paramref name="configuration"/>, so a table is never created with one that later fails its writes.</summary>
    public static void Validate(IReadOnlyDictionary<string, string>? configuration)
    {
        if (configuration is null)
        {
            return;
        }

        var metadata = MetadataAction.Create("{}", configuration: configuration);
        CheckpointIntervalOf(metadata);
        LogRetentionOf(metadata);
        DeletedFileRetentionOf(metadata);
        ExpiredLogCleanupEnabled(metadata);
        AutoCompactEnabled(metadata);
    }

    private static TimeSpan Interval(MetadataAction metadata, string property, TimeSpan defaultValue) =>
        metadata.Configuration.TryGetValue(property, out var text) ? IntervalText.Parse(text, $"table property {property}") : defaultValue;

    private static bool Flag(MetadataAction metadata, string property, bool defaultValue)
    {
        if (!metadata.Configuration.TryGetValue(property, out var text))
        {
            return defaultValue;
        }

        return bool.TryParse(text.Trim(), out var value) ? value : throw new ArgumentException($"Table property {property} must be true or false, not '{text}'");
    }
}
