using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>Small helpers to create tables and data-file actions in tests.</summary>
internal static class DeltaTestTables
{
    public const string Schema = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"topic","type":"string","nullable":true,"metadata":{}}]}""";

    public static async Task<DeltaLog> CreateAsync(InMemoryObjectStore store, IReadOnlyList<string>? partitionColumns = null, int? checkpointInterval = null, DeltaLogOptions? options = null)
    {
        var log = new DeltaLog(store, options);
        var configuration = new Dictionary<string, string>();
        if (checkpointInterval is { } interval)
        {
            configuration[TableProperties.CheckpointInterval] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await log.CreateTableAsync(MetadataAction.Create(Schema, partitionColumns, configuration));
        return log;
    }

    public static AddFile File(string name, IReadOnlyDictionary<string, string?>? partitionValues = null) =>
        new(DeltaPath.ToLogPath(name), partitionValues ?? new Dictionary<string, string?>(), 100, 1_700_000_000_000, Stats: """{"numRecords":1}""");
}
