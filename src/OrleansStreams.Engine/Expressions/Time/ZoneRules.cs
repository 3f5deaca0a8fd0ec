using System.Collections.Concurrent;

namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>
/// UTC offsets of one time zone, looked up from epoch microseconds. UTC and fixed offsets need
/// no lookup; other zones ask <see cref="TimeZoneInfo"/> (the system tz database) once per
/// 15-minute bucket and remember the last bucket, so sorted or clustered timestamps are cheap.
/// </summary>
public sealed class ZoneRules
{
    private const long BucketMicros = 15 * 60 * CivilTime.MicrosPerSecond;
    private static readonly ConcurrentDictionary<string, ZoneRules> Cache = new(StringComparer.OrdinalIgnoreCase);

    private readonly TimeZoneInfo? _zone;
    private readonly long _fixedOffset;
    private CachedBucket _last = new(long.MinValue, 0);

    private ZoneRules(string id, TimeZoneInfo? zone, long fixedOffsetMicros)
    {
        Id = id;
        _zone = zone;
        _fixedOffset = fixedOffsetMicros;
    }

    public static ZoneRules Utc { get; } = new("UTC", null, 0);

    public string Id { get; }

    /// <summary>True when the offset never changes (UTC or a fixed offset).</summary>
    public bool IsFixed => _zone is null;

    /// <summary>The zone for an IANA id, <c>UTC</c>/<c>Z</c>, or a fixed offset like <c>+05:30</c>; throws naming the id when unknown.</summary>
    public static ZoneRules Get(string id) => Cache.GetOrAdd(id, Create);

    /// <summary>The offset from UTC, in microseconds, at an instant.</summary>
    public long OffsetAt(long utcMicros)
    {
        if (_zone is null)
        {
            return _fixedOffset;
        }

        var bucket = CivilTime.FloorDiv(utcMicros, BucketMicros);
        var last = _last;
        if (last.Bucket == bucket)
        {
            return last.Offset;
        }

        var start = OffsetFromSystem(bucket * BucketMicros);
        var end = OffsetFromSystem(((bucket + 1) * BucketMicros) - 1);
        if (start == end)
        {
            _last = new CachedBucket(bucket, start); // one immutable object: safe to share across threads
            return start;
        }

        return OffsetFromSystem(utcMicros);
    }

    /// <summary>
    /// The instant of a wall-clock time in this zone. A time skipped by a DST gap moves forward by
    /// the gap; an ambiguous time takes the earlier instant (both as java.time does, so as Spark does).
    /// </summary>
    public long ToUtc(long localMicros)
    {
        if (_zone is null)
        {
            return localMicros - _fixedOffset;
        }

        // Offsets valid a day either side bracket every candidate.
        var before = OffsetAt(localMicros - CivilTime.MicrosPerDay);
        var after = OffsetAt(localMicros + CivilTime.MicrosPerDay);
        var earlier = Math.Max(before, after);
        var later = Math.Min(before, after);
        if (OffsetAt(localMicros - earlier) == earlier)
        {
            return localMicros - earlier;
        }

        if (OffsetAt(localMicros - later) == later)
        {
            return localMicros - later;
        }

        return localMicros - before; // in a gap: shift forward by the gap's length
    }

    private long OffsetFromSystem(long utcMicros)
    {
        var clamped = Math.Clamp(utcMicros, -62_135_596_800_000_000L, 253_402_300_799_000_000L);
        var utc = DateTime.UnixEpoch.AddTicks(clamped * 10);
        return _zone!.GetUtcOffset(utc).Ticks / 10;
    }

    private static ZoneRules Create(string id)
    {
        var trimmed = id.Trim();
        if (trimmed is "UTC" or "Z" or "GMT" or "Etc/UTC" or "UTC0")
        {
            return new ZoneRules(id, null, 0);
        }

        if (TryParseOffset(trimmed, out var offset))
        {
            return new ZoneRules(id, null, offset);
        }

        try
        {
            return new ZoneRules(id, TimeZoneInfo.FindSystemTimeZoneById(trimmed), 0);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"unknown time zone '{id}' (expected an IANA id such as 'Europe/Paris', 'UTC' or an offset such as '+02:00')", nameof(id), e);
        }
    }

    /// <summary>Reads <c>+HH:mm</c>, <c>-HH</c>, <c>+HHmm</c>, optionally prefixed by UTC/GMT.</summary>
    internal static bool TryParseOffset(ReadOnlySpan<char> text, out long offsetMicros)
    {
        offsetMicros = 0;
        if (text.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) || text.StartsWith("GMT", StringComparison.OrdinalIgnoreCase))
        {
            text = text[3..];
        }

        if (text.Length < 2 || (text[0] != '+' && text[0] != '-'))
        {
            return false;
        }

        var sign = text[0] == '-' ? -1 : 1;
        var digits = text[1..];
        int hours, minutes = 0;
        if (digits.Length is 1 or 2 && int.TryParse(digits, out hours))
        {
        }
        else if (digits.Length == 5 && digits[2] == ':' && int.TryParse(digits[..2], out hours) && int.TryParse(digits[3..], out minutes))
        {
        }
        else if (digits.Length == 4 && int.TryParse(digits[..2], out hours) && int.TryParse(digits[2..], out minutes))
        {
        }
        else
        {
            return false;
        }

        if (hours > 18 || minutes > 59)
        {
            return false;
        }

        offsetMicros = sign * ((hours * 3600L) + (minutes * 60L)) * CivilTime.MicrosPerSecond;
        return true;
    }

    private sealed record CachedBucket(long Bucket, long Offset);
}
