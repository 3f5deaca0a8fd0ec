namespace OrleansStreams.Runtime.Streaming.Schemas;

/// <summary>
/// Auto Loader's schema options: <c>cloudFiles.schemaLocation</c>, <c>cloudFiles.schemaHints</c>,
/// <c>cloudFiles.inferColumnTypes</c>, <c>cloudFiles.schemaEvolutionMode</c>, <c>rescuedDataColumn</c> and
/// <c>badRecordsPath</c>. A bad value names the option.
/// </summary>
public sealed record CloudFilesSchemaOptions
{
    public const string DefaultRescuedDataColumn = "_rescued_data";

    /// <summary>Where the schema's versions are kept (<c>_schemas/0</c>, <c>1</c>, …); required to infer it.</summary>
    public string? SchemaLocation { get; init; }

    /// <summary>DDL-like column types that override or extend the inferred ones (<c>id BIGINT, tags MAP&lt;STRING,STRING&gt;</c>).</summary>
    public string? SchemaHints { get; init; }

    /// <summary>Infer JSON and CSV column types instead of reading every column as STRING.</summary>
    public bool InferColumnTypes { get; init; }

    /// <summary>The mode as given, or null for the default (addNewColumns when inferred, none with a schema).</summary>
    public SchemaEvolutionMode? EvolutionMode { get; init; }

    /// <summary>The rescued data column as given, or null for the default (<c>_rescued_data</c> when inferred, unless the mode is none).</summary>
    public string? RescuedDataColumn { get; init; }

    /// <summary>Where malformed records and unreadable files are written (as JSON) instead of being kept or failing the stream.</summary>
    public string? BadRecordsPath { get; init; }

    /// <summary>The corrupt record column as given, or null.</summary>
    public string? CorruptRecordColumn { get; init; }

    /// <param name="options">The source options, keys without the cloudFiles. prefix, case-insensitive.</param>
    public static CloudFilesSchemaOptions Parse(IReadOnlyDictionary<string, string> options)
    {
        string? Get(string key) => options.TryGetValue(key, out var v) ? v : null;
        return new CloudFilesSchemaOptions
        {
            SchemaLocation = Get("schemaLocation"),
            SchemaHints = Get("schemaHints"),
            InferColumnTypes = Get("inferColumnTypes") is not { } infer ? false
                : bool.TryParse(infer, out var b) ? b
                : throw new ArgumentException($"Option cloudFiles.inferColumnTypes must be true or false, not '{infer}'"),
            EvolutionMode = Get("schemaEvolutionMode") is not { } mode ? null : mode.ToLowerInvariant() switch
            {
                "addnewcolumns" => SchemaEvolutionMode.AddNewColumns,
                "rescue" => SchemaEvolutionMode.Rescue,
                "failonnewcolumns" => SchemaEvolutionMode.FailOnNewColumns,
                "none" => SchemaEvolutionMode.None,
                _ => throw new ArgumentException($"Option cloudFiles.schemaEvolutionMode has an invalid value '{mode}': use addNewColumns, rescue, failOnNewColumns or none"),
            },
            RescuedDataColumn = Get("rescuedDataColumn") is { Length: > 0 } rescued ? rescued : null,
            BadRecordsPath = Get("badRecordsPath") is { Length: > 0 } bad ? bad : null,
            CorruptRecordColumn = Get("columnNameOfCorruptRecord"),
        };
    }
}
