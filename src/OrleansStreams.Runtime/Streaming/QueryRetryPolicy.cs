using OrleansStreams.Engine.Common;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Whether a query whose batch failed runs it again after a pause instead of failing: off by default, as in Spark,
/// where a failed query stays failed until restarted. When on, the failed batch is replayed from the offset log by a
/// fresh runner after <see cref="InitialBackoff"/>, doubling up to <see cref="MaxBackoff"/>, at most
/// <see cref="MaxRetries"/> times in a row; a batch that commits resets the count.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record QueryRetryPolicy
{
    /// <summary>The session settings (SET key = value) that configure the policy.</summary>
    public const string MaxRetriesKey = "orleans.streams.query.maxRetries";

    public const string InitialBackoffKey = "orleans.streams.query.retryBackoff";

    public const string MaxBackoffKey = "orleans.streams.query.retryMaxBackoff";

    public static readonly QueryRetryPolicy None = new();

    /// <summary>Failures in a row that are retried; 0 fails the query on its first failure.</summary>
    [Id(0)] public int MaxRetries { get; init; }

    [Id(1)] public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(5);

    [Id(2)] public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The pause before retry number <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * (1L << Math.Min(attempt - 1, 30))));

    /// <summary>The policy the session settings give: <c>orleans.streams.query.maxRetries</c>, <c>retryBackoff</c>, <c>retryMaxBackoff</c> (intervals such as '10 seconds').</summary>
    public static QueryRetryPolicy FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        var policy = None;
        if (settings.TryGetValue(MaxRetriesKey, out var retries))
        {
            policy = policy with
            {
                MaxRetries = int.TryParse(retries, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                    ? n : throw new ArgumentException($"{MaxRetriesKey} must be a whole number of retries (0 or more), not '{retries}'"),
            };
        }

        if (settings.TryGetValue(InitialBackoffKey, out var initial))
        {
            policy = policy with { InitialBackoff = PositiveInterval(initial, InitialBackoffKey) };
        }

        if (settings.TryGetValue(MaxBackoffKey, out var max))
        {
            policy = policy with { MaxBackoff = PositiveInterval(max, MaxBackoffKey) };
        }

        return policy.MaxBackoff < policy.InitialBackoff
            ? throw new ArgumentException($"{MaxBackoffKey} ({policy.MaxBackoff}) must not be shorter than {InitialBackoffKey} ({policy.InitialBackoff})")
            : policy;
    }

    private static TimeSpan PositiveInterval(string text, string key)
    {
        var value = IntervalText.Parse(text, key);
        return value > TimeSpan.Zero ? value : throw new ArgumentException($"{key} must be a positive interval such as '10 seconds', not '{text}'");
    }
}
