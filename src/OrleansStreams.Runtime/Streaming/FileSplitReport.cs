namespace OrleansStreams.Runtime.Streaming;

/// <summary>Where a field the schema lacks was first seen: the file and its line.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NewFieldSighting([property: Id(0)] string File, [property: Id(1)] long Line);

/// <summary>What decoding a batch's files found that the source acts on: fields the schema lacks, for schema evolution.</summary>
[GenerateSerializer]
public sealed class FileSplitReport
{
    [Id(0)] public Dictionary<string, NewFieldSighting> NewFields { get; init; } = [];

    /// <summary>Adds a field's first sighting (an earlier one is kept).</summary>
    public void NewField(string name, NewFieldSighting sighting) => NewFields.TryAdd(name, sighting);

    public void Add(FileSplitReport other)
    {
        foreach (var (name, sighting) in other.NewFields)
        {
            NewField(name, sighting);
        }
    }
}
