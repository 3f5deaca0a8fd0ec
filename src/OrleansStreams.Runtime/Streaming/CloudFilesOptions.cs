using System.Globalization;
using OrleansStreams.Engine.Common;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Auto Loader's options (with or without the <c>cloudFiles.</c> prefix). With <c>validateOptions</c>
/// (the default) an unknown option is an error that names it and suggests the closest known one.
/// </summary>
public sealed partial record CloudFilesOptions
{
    private static readonly string[] Known =
    [
        "format", "includeExistingFiles", "maxFilesPerTrigger", "maxBytesPerTrigger", "pathGlobFilter", "modifiedAfter", "modifiedBefore",
        "recursiveFileLookup", "partitionColumns", "validateOptions", "useNotifications", "schemaLocation", "schemaHints", "inferColumnTypes",
        "schemaEvolutionMode", "rescuedDataColumn", "queueName", "connectionString", "backfillInterval",
        // reader options of the formats
        "mode", "columnNameOfCorruptRecord", "multiLine", "header", "sep", "delimiter", "quote", "escape", "nullValue", "wholetext", "lineSep",
        "timestampFormat", "dateFormat", "encoding", "badRecordsPath",
    ];

    public required string Format { get; init; }

    public bool IncludeExistingFiles { get; init; } = true;

    public int MaxFilesPerTrigger { get; init; } = 1000;

    public long? MaxBytesPerTrigger { get; init; }

    public string? PathGlobFilter { get; init; }

    public DateTimeOffset? ModifiedAfter { get; init; }

    public DateTimeOffset? ModifiedBefore { get; init; }

    public bool RecursiveFileLookup { get; init; } = true;

    public IReadOnlyList<string> PartitionColumns { get; init; } = [];

    public IReadOnlyDictionary<string, string> ReaderOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>File-notification mode: files come from BlobCreated events on a storage queue instead of listings.</summary>
    public bool UseNotifications { get; init; }

    /// <summary>The storage queue Event Grid delivers the source's BlobCreated events to (bring your own queue).</summary>
    public string? QueueName { get; init; }

    /// <summary>The queue's storage account; without it the silo's connection string for the source's account, else DefaultAzureCredential.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>How often notification mode also lists the folder, to catch files whose events were lost.</summary>
    public TimeSpan? BackfillInterval { get; init; }

    /// <summary>Schema inference and evolution, rescued data and badRecordsPath.</summary>
    public Schemas.CloudFilesSchemaOptions Schema { get; init; } = new();

    public static CloudFilesOptions Parse(IReadOnlyDictionary<string, string> options, string? formatOverride = null)
    {
        var map = options.ToDictionary(o => Strip(o.Key), o => o.Value, StringComparer.OrdinalIgnoreCase);
        string? Get(string key) => map.TryGetValue(key, out var v) ? v : null;

        if (!string.Equals(Get("validateOptions"), "false", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var key in options.Keys.Where(k => !Known.Contains(Strip(k), StringComparer.OrdinalIgnoreCase)))
            {
                var closest = Known.MinBy(k => Distance(k.ToLowerInvariant(), Strip(key).ToLowerInvariant()));
                throw new ArgumentException($"Unknown Auto Loader option '{key}'. Did you mean 'cloudFiles.{closest}'? (Set cloudFiles.validateOptions to false to allow unknown options.)");
            }
        }

        var format = formatOverride ?? Get("format") ?? throw new ArgumentException("Option cloudFiles.format is required (json, csv, parquet or text)");
        return new CloudFilesOptions
        {
            Format = format,
            IncludeExistingFiles = Bool(Get("includeExistingFiles"), "includeExistingFiles", true),
            MaxFilesPerTrigger = Get("maxFilesPerTrigger") is { } mf ? ParseCount(mf, "cloudFiles.maxFilesPerTrigger") : 1000,
            MaxBytesPerTrigger = Get("maxBytesPerTrigger") is { } mb ? ByteSizeText.Parse(mb, "cloudFiles.maxBytesPerTrigger") : null,
            PathGlobFilter = Get("pathGlobFilter"),
            ModifiedAfter = Get("modifiedAfter") is { } after ? Time(after, "modifiedAfter") : null,
            ModifiedBefore = Get("modifiedBefore") is { } before ? Time(before, "modifiedBefore") : null,
            RecursiveFileLookup = Bool(Get("recursiveFileLookup"), "recursiveFileLookup", true),
            PartitionColumns = Get("partitionColumns") is { } p ? p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [],
            ReaderOptions = map,
            Schema = Schemas.CloudFilesSchemaOptions.Parse(map),
            UseNotifications = Bool(Get("useNotifications"), "useNotifications", false),
            QueueName = Get("queueName"),
            ConnectionString = Get("connectionString"),
            BackfillInterval = Get("backfillInterval") is { } backfill ? Interval(backfill, "backfillInterval") : null,
        }.CheckNotifications();
    }

    private CloudFilesOptions CheckNotifications()
    {
        if (!UseNotifications)
        {
            return this;
        }

        if (string.IsNullOrWhiteSpace(QueueName))
        {
            throw new ArgumentException(
                "Option cloudFiles.queueName is required with cloudFiles.useNotifications: name the storage queue the Event Grid subscription " +
                "(or the project's emulator) delivers the BlobCreated events to");
        }

        if (!QueueNamePattern().IsMatch(QueueName))
        {
            throw new ArgumentException($"Option cloudFiles.queueName '{QueueName}' is not a storage queue name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit");
        }

        return this;
    }

    private static TimeSpan Interval(string value, string name)
    {
        var interval = Engine.Common.IntervalText.Parse(value, $"option cloudFiles.{name}");
        return interval > TimeSpan.Zero ? interval : throw new ArgumentException($"Option cloudFiles.{name} must be a positive interval such as '1 day' or '10 minutes', not '{value}'");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")]
    private static partial System.Text.RegularExpressions.Regex QueueNamePattern();

    /// <summary>An option's value by its name, given with or without the <c>cloudFiles.</c> prefix, case-insensitively; null when absent.</summary>
    public static string? Find(IReadOnlyDictionary<string, string> options, string key) =>
        options.FirstOrDefault(o => Strip(o.Key).Equals(key, StringComparison.OrdinalIgnoreCase)).Value;

    private static string Strip(string key) => key.StartsWith("cloudFiles.", StringComparison.OrdinalIgnoreCase) ? key["cloudFiles.".Length..] : key;

    private static bool Bool(string? value, string name, bool fallback) => value is null ? fallback
        : bool.TryParse(value, out var b) ? b
        : throw new ArgumentException($"Option cloudFiles.{name} must be true or false, not '{value}'");

    /// <summary>A positive file count such as maxFilesPerTrigger; <paramref name="name"/> is the option as the error names it.</summary>
    public static int ParseCount(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"Option {name} must be a positive integer, not '{value}'");

    private static DateTimeOffset Time(string value, string name) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new ArgumentException($"Option {name} must be a timestamp such as '2024-06-01 00:00:00', not '{value}'");

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
