namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>
/// Session settings that change how expressions evaluate. Today only the time zone, which
/// governs timestamp ↔ string and date ↔ timestamp conversions, as Spark's session time zone does.
/// </summary>
public sealed record SessionConfig
{
    /// <summary>The Spark configuration key for the session time zone.</summary>
    public const string TimeZoneKey = "spark.sql.session.timeZone";

    public static readonly SessionConfig Default = new();

    public SessionConfig(string timeZone = "UTC")
    {
        Zone = ZoneRules.Get(timeZone);
        TimeZone = timeZone;
    }

    /// <summary>An IANA zone id (or <c>UTC</c>, or a fixed offset such as <c>+02:00</c>).</summary>
    public string TimeZone { get; }

    public ZoneRules Zone { get; }

    /// <summary>Reads the settings from Spark-style configuration keys; absent keys keep their defaults.</summary>
    public static SessionConfig FromSettings(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue(TimeZoneKey, out var zone) ? new SessionConfig(zone) : Default;

    public bool Equals(SessionConfig? other) => other is not null && TimeZone == other.TimeZone;

    public override int GetHashCode() => TimeZone.GetHashCode(StringComparison.Ordinal);
}
