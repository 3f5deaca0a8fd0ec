using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// Checks a silo's <see cref="OrleansStreamsSiloOptions"/> when the silo starts (Orleans runs every
/// <see cref="IConfigurationValidator"/> then), so a wrong setting stops the silo with one message naming it
/// instead of failing the first query that needs it.
/// </summary>
public sealed class OrleansStreamsSiloOptionsValidator(OrleansStreamsSiloOptions options) : IConfigurationValidator
{
    /// <inheritdoc/>
    public void ValidateConfiguration()
    {
        var errors = Errors(options).ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Invalid {nameof(OrleansStreamsSiloOptions)}: {string.Join("; ", errors)}");
        }
    }

    /// <summary>Every problem of <paramref name="options"/>, one sentence each naming the option.</summary>
    public static IEnumerable<string> Errors(OrleansStreamsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.StateRoot))
        {
            yield return $"{nameof(options.StateRoot)} is empty; it is the folder or Blob location of the silo's grain state";
        }

        if (options.Storage is null)
        {
            yield return $"{nameof(options.Storage)} is null";
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            yield return $"{nameof(options.PollInterval)} is {options.PollInterval}; it must be positive";
        }

        if (options.BatchShutdownGrace < TimeSpan.Zero)
        {
            yield return $"{nameof(options.BatchShutdownGrace)} is {options.BatchShutdownGrace}; it must not be negative";
        }

        if (options.ResumeReminderPeriod <= TimeSpan.Zero)
        {
            yield return $"{nameof(options.ResumeReminderPeriod)} is {options.ResumeReminderPeriod}; it must be positive";
        }

        if (options.Notifications is { PullingAgents: < 1 } notifications)
        {
            yield return $"{nameof(options.Notifications)}.{nameof(notifications.PullingAgents)} is {notifications.PullingAgents}; it must be at least 1";
        }

        if (options.AllowedLocations is { } roots && options.Storage is not null)
        {
            if (roots.Any(string.IsNullOrWhiteSpace))
            {
                yield return $"{nameof(options.AllowedLocations)} has an empty entry";
            }
            else if (RootsError(roots, options.Storage) is { } error)
            {
                yield return $"{nameof(options.AllowedLocations)}: {error}";
            }
        }
    }

    private static string? RootsError(IReadOnlyList<string> roots, StorageOptions storage)
    {
        try
        {
            StorageRoots.Of(roots, new ObjectStoreFactory(storage));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or UriFormatException)
        {
            return e.Message;
        }
    }
}
