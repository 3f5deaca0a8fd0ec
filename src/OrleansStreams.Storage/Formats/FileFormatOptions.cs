namespace OrleansStreams.Storage.Formats;

/// <summary>How malformed records are handled, as Spark's <c>mode</c> option says.</summary>
public enum ParseMode
{
    /// <summary>The default: a malformed record becomes a row of NULLs, its text kept in the corrupt-record column if the schema has one.</summary>
    Permissive,

    /// <summary>Malformed records are dropped.</summary>
    DropMalformed,

    /// <summary>The first malformed record fails the read, naming the file and line.</summary>
    FailFast,
}

/// <summary>
/// The reader options of Spark's file sources that the decoders use, read from a case-insensitive
/// option map: <c>mode</c>, <c>columnNameOfCorruptRecord</c>, <c>multiLine</c> (JSON), <c>header</c>, <c>sep</c>,
/// <c>quote</c>, <c>escape</c>, <c>nullValue</c> (CSV), <c>lineSep</c>, <c>wholetext</c> (text), <c>rescuedDataColumn</c>.
/// A bad value names the option.
/// </summary>
public sealed record FileFormatOptions
{
    public ParseMode Mode { get; init; } = ParseMode.Permissive;

    public string CorruptRecordColumn { get; init; } = "_corrupt_record";

    /// <summary>
    /// The column (in the schema) that collects, as JSON with the file's <c>_file_path</c>, the fields that do not fit:
    /// fields the schema lacks, values of the wrong type, names that differ only in case. Null for none.
    /// With it, a type mismatch no longer makes a record malformed.
    /// </summary>
    public string? RescuedDataColumn { get; init; }

    public bool MultiLine { get; init; }

    public bool Header { get; init; }

    public char Separator { get; init; } = ',';

    public char Quote { get; init; } = '"';

    public char Escape { get; init; } = '\\';

    public string NullValue { get; init; } = string.Empty;

    public bool WholeText { get; init; }

    /// <summary>The session time zone for timestamps written without an offset.</summary>
    public string TimeZone { get; init; } = "UTC";

    public int BatchRows { get; init; } = 65_536;

    public static FileFormatOptions Parse(IReadOnlyDictionary<string, string> options, string timeZone = "UTC")
    {
        string? Get(string key) => options.FirstOrDefault(o => string.Equals(StripPrefix(o.Key), key, StringComparison.OrdinalIgnoreCase)).Value;

        return new FileFormatOptions
        {
            Mode = Get("mode")?.ToUpperInvariant() switch
            {
                null or "PERMISSIVE" => ParseMode.Permissive,
                "DROPMALFORMED" => ParseMode.DropMalformed,
                "FAILFAST" => ParseMode.FailFast,
                var other => throw new ArgumentException($"Option mode has an invalid value '{other}': use PERMISSIVE, DROPMALFORMED or FAILFAST"),
            },
            CorruptRecordColumn = Get("columnNameOfCorruptRecord") ?? "_corrupt_record",
            RescuedDataColumn = Get("rescuedDataColumn") is { Length: > 0 } rescued ? rescued : null,
            MultiLine = Bool(Get("multiLine"), "multiLine"),
            Header = Bool(Get("header"), "header"),
            Separator = Char(Get("sep") ?? Get("delimiter"), "sep", ','),
            Quote = Char(Get("quote"), "quote", '"'),
            Escape = Char(Get("escape"), "escape", '\\'),
            NullValue = Get("nullValue") ?? string.Empty,
            WholeText = Bool(Get("wholetext"), "wholetext"),
            TimeZone = timeZone,
        };
    }

    private static string StripPrefix(string key) => key.StartsWith("cloudFiles.", StringComparison.OrdinalIgnoreCase) ? key["cloudFiles.".Length..] : key;

    private static bool Bool(string? value, string name) => value is null ? false
        : bool.TryParse(value, out var b) ? b
        : throw new ArgumentException($"Option {name} must be true or false, not '{value}'");

    private static char Char(string? value, string name, char fallback) => value switch
    {
        null => fallback,
        "\\t" => '\t',
        { Length: 1 } => value[0],
        _ => throw new ArgumentException($"Option {name} must be a single character, not '{value}'"),
    };
}
