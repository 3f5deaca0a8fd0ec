namespace OrleansStreams.Runtime.Grains;

/// <summary>A split of a micro-batch for a scan worker: which files of which source to decode.</summary>
[GenerateSerializer]
[Immutable]
public sealed record ScanTask
{
    [Id(0)] public required string Folder { get; init; }

    [Id(1)] public required string Format { get; init; }

    [Id(2)] public required Dictionary<string, string> ReaderOptions { get; init; }

    /// <summary>Delta schema JSON of the columns in the files.</summary>
    [Id(3)] public required string DataSchemaJson { get; init; }

    /// <summary>Delta schema JSON of the source's output (data, partition columns, _metadata).</summary>
    [Id(4)] public required string OutputSchemaJson { get; init; }

    [Id(5)] public required string TimeZone { get; init; }

    [Id(6)] public required string[] Keys { get; init; }

    [Id(7)] public required long[] Sizes { get; init; }

    [Id(8)] public required long[] ModifiedTicks { get; init; }

    [Id(9)] public required long[] Sequences { get; init; }
}
