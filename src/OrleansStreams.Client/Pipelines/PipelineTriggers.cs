using System.Text.RegularExpressions;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// Triggers written as text for pipelines and the command line: <c>available-now</c>, <c>once</c>,
/// <c>processing-time=4s</c> (or <c>processing-time=4 seconds</c>), <c>continuous[=1s]</c>.
/// </summary>
public static partial class PipelineTriggers
{
    /// <summary>The accepted trigger texts, for help and error messages.</summary>
    public const string Accepted = "available-now, once, processing-time=<interval> (e.g. processing-time=4s) or continuous[=<interval>]";

    /// <summary>The trigger <paramref name="text"/> names, such as <c>processing-time=4s</c>.</summary>
    /// <exception cref="ArgumentException">The text is not one of <see cref="Accepted"/>.</exception>
    public static Trigger Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var kind = (equals < 0 ? text : text[..equals]).Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        var argument = equals < 0 ? null : text[(equals + 1)..].Trim();
        return (kind, argument) switch
        {
            ("available-now" or "availablenow", null) => Trigger.AvailableNow,
            ("once", null) => Trigger.Once,
            ("processing-time" or "processingtime", { Length: > 0 } interval) => Trigger.ProcessingTime(Interval(interval, "processing-time interval")),
            ("continuous", null) => Trigger.Continuous(TimeSpan.FromSeconds(1)),
            ("continuous", { Length: > 0 } interval) => Trigger.Continuous(Interval(interval, "continuous checkpoint interval")),
            _ => throw new ArgumentException($"Unknown trigger '{text}': use {Accepted}"),
        };
    }

    /// <summary>True for triggers that stop by themselves once the data present at start is processed.</summary>
    public static bool IsFinite(Trigger trigger) => trigger is AvailableNowTrigger or OnceTrigger;

    /// <summary><c>4s</c>, <c>500ms</c>, <c>2min</c>, <c>1h</c> or Spark's <c>4 seconds</c>.</summary>
    private static TimeSpan Interval(string text, string what)
    {
        var compact = CompactInterval().Match(text);
        var spark = compact.Success
            ? $"{compact.Groups[1].Value} {compact.Groups[2].Value.ToLowerInvariant() switch { "s" => "seconds", "ms" => "milliseconds", "m" or "min" => "minutes", "h" => "hours", "d" => "days", var u => u }}"
            : text;
        var interval = Engine.Common.IntervalText.Parse(spark, what);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The {what} '{text}' must be positive");
        }

        return interval;
    }

    [GeneratedRegex(@"^\s*(\d+)\s*(ms|s|m|min|h|d)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CompactInterval();
}
