using System.Globalization;
using System.Text;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// How many aggregation grains share a query's state. Keys are spread by hash over that many partitions, so the
/// count is fixed when the checkpoint is first used (<c>state/partitions</c>) and a later setting does not move
/// keys away from their state — Spark likewise keeps a checkpoint's spark.sql.shuffle.partitions.
/// </summary>
public static class ShufflePartitionCount
{
    /// <summary>The Spark setting.</summary>
    public const string SettingKey = "spark.sql.shuffle.partitions";

    public const int Default = 8;

    private const string FileName = "state/partitions";

    /// <summary>The count of this checkpoint: the one it was started with, or <paramref name="requested"/> for a new one.</summary>
    public static async Task<int> ResolveAsync(IObjectStore checkpoint, int requested, CancellationToken cancellationToken)
    {
        if (requested < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), requested, $"{SettingKey} must be a positive number");
        }

        if (await checkpoint.PutIfAbsentAsync(FileName, Encoding.UTF8.GetBytes(requested.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false) is not null)
        {
            return requested;
        }

        return (await ReadAsync(checkpoint, cancellationToken).ConfigureAwait(false))!.Value;
    }

    /// <summary>The count this checkpoint was started with, or null when it has never aggregated on partitions.</summary>
    public static async Task<int?> ReadAsync(IObjectStore checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            var stored = Encoding.UTF8.GetString(await checkpoint.ReadAllAsync(FileName, cancellationToken).ConfigureAwait(false));
            return int.Parse(stored, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The count a session asks for: its <c>SET spark.sql.shuffle.partitions</c>, else the default.</summary>
    public static int FromSettings(IReadOnlyDictionary<string, string> settings) =>
        !settings.TryGetValue(SettingKey, out var value) ? Default
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count
        : throw new ArgumentException($"{SettingKey} must be a positive whole number, not '{value}'");
}
