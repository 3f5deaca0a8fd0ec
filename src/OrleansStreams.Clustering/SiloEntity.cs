using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Orleans.Runtime;

namespace OrleansStreams.Clustering;

/// <summary>
/// How a membership entry is laid out as a table row: one partition per cluster, one row per silo generation
/// (<c>address-port-generation</c>) beside the version row. Suspicions are kept as two parallel '|'-separated lists.
/// </summary>
internal static class SiloEntity
{
    public const string VersionRowKey = "VersionRow";
    public const string VersionProperty = "Version";
    public const string IAmAliveTimeProperty = "IAmAliveTime";
    public const string StatusProperty = "Status";
    public const string ProxyPortProperty = "ProxyPort";

    public static string RowKey(SiloAddress silo) =>
        string.Create(CultureInfo.InvariantCulture, $"{silo.Endpoint.Address}-{silo.Endpoint.Port}-{silo.Generation}");

    /// <summary>Table keys may not hold '/', '\', '#', '?' or control characters; cluster ids are escaped the same way everywhere.</summary>
    public static string PartitionKey(string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        return Uri.EscapeDataString(clusterId);
    }

    public static TableEntity Version(string partition, int version) =>
        new(partition, VersionRowKey) { [VersionProperty] = version };

    public static TableEntity From(string partition, MembershipEntry entry)
    {
        var suspects = entry.SuspectTimes ?? [];
        var row = new TableEntity(partition, RowKey(entry.SiloAddress))
        {
            ["Address"] = entry.SiloAddress.Endpoint.Address.ToString(),
            ["Port"] = entry.SiloAddress.Endpoint.Port,
            ["Generation"] = entry.SiloAddress.Generation,
            ["HostName"] = entry.HostName,
            ["SiloName"] = entry.SiloName,
            ["RoleName"] = entry.RoleName,
            [StatusProperty] = entry.Status.ToString(),
            [ProxyPortProperty] = entry.ProxyPort,
            ["UpdateZone"] = entry.UpdateZone,
            ["FaultZone"] = entry.FaultZone,
            ["SuspectingSilos"] = string.Join('|', suspects.Select(s => s.Item1.ToParsableString())),
            ["SuspectingTimes"] = string.Join('|', suspects.Select(s => Utc(s.Item2).ToString("O", CultureInfo.InvariantCulture))),
        };
        SetTime(row, "StartTime", entry.StartTime);
        SetTime(row, IAmAliveTimeProperty, entry.IAmAliveTime);
        return row;
    }

    /// <summary>A time column; an unset time (<c>default</c>) is left out, as Table storage cannot hold year 1.</summary>
    public static void SetTime(TableEntity row, string property, DateTime time)
    {
        if (time != default)
        {
            row[property] = new DateTimeOffset(Utc(time));
        }
    }

    public static MembershipEntry ToEntry(TableEntity row)
    {
        var silo = Silo(row);
        var entry = new MembershipEntry
        {
            SiloAddress = silo,
            HostName = row.GetString("HostName"),
            SiloName = row.GetString("SiloName"),
            RoleName = row.GetString("RoleName"),
            Status = Enum.Parse<SiloStatus>(row.GetString(StatusProperty) ?? throw Malformed(row, StatusProperty)),
            ProxyPort = row.GetInt32(ProxyPortProperty) ?? 0,
            UpdateZone = row.GetInt32("UpdateZone") ?? 0,
            FaultZone = row.GetInt32("FaultZone") ?? 0,
            StartTime = row.GetDateTimeOffset("StartTime")?.UtcDateTime ?? default,
            IAmAliveTime = row.GetDateTimeOffset(IAmAliveTimeProperty)?.UtcDateTime ?? default,
        };

        var silos = Split(row.GetString("SuspectingSilos"));
        var times = Split(row.GetString("SuspectingTimes"));
        if (silos.Length != times.Length)
        {
            throw new FormatException($"Membership row {row.RowKey} has {silos.Length} suspecting silos but {times.Length} suspecting times");
        }

        for (var i = 0; i < silos.Length; i++)
        {
            entry.AddSuspector(SiloAddress.FromParsableString(silos[i]),
                DateTime.Parse(times[i], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        }

        return entry;
    }

    /// <summary>The gateway endpoint a silo row advertises, when the silo is active and runs one.</summary>
    public static SiloAddress? Gateway(TableEntity row) =>
        row.GetString(StatusProperty) == nameof(SiloStatus.Active) && row.GetInt32(ProxyPortProperty) is > 0 and var proxyPort
            ? SiloAddress.New(IPAddress.Parse(row.GetString("Address")!), proxyPort, row.GetInt32("Generation") ?? 0)
            : null;

    /// <summary>The latest time anything wrote the entry: its start, its heartbeat or a suspicion vote (a death declaration votes too).</summary>
    public static DateTime LastUpdate(MembershipEntry entry)
    {
        var last = entry.StartTime > entry.IAmAliveTime ? entry.StartTime : entry.IAmAliveTime;
        foreach (var (_, time) in entry.SuspectTimes ?? [])
        {
            last = time > last ? time : last;
        }

        return DateTime.SpecifyKind(last, DateTimeKind.Utc);
    }

    private static SiloAddress Silo(TableEntity row) =>
        SiloAddress.New(
            IPAddress.Parse(row.GetString("Address") ?? throw Malformed(row, "Address")),
            row.GetInt32("Port") ?? throw Malformed(row, "Port"),
            row.GetInt32("Generation") ?? throw Malformed(row, "Generation"));

    private static string[] Split(string? list) => string.IsNullOrEmpty(list) ? [] : list.Split('|');

    /// <summary>Orleans' membership times are UTC, sometimes with an unspecified kind.</summary>
    private static DateTime Utc(DateTime time) =>
        DateTime.SpecifyKind(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time, DateTimeKind.Utc);

    private static FormatException Malformed(TableEntity row, string property) =>
        new($"Membership row {row.RowKey} in partition {row.PartitionKey} has no {property}");
}
