using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tables;

/// <summary>What <c>DESCRIBE DETAIL</c> reports about a table: one row of facts read from its latest snapshot.</summary>
public sealed record TableDetail(
    string Format,
    string Id,
    string? Name,
    string? Description,
    string Location,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastModified,
    IReadOnlyList<string> PartitionColumns,
    long NumFiles,
    long SizeInBytes,
    IReadOnlyDictionary<string, string> Properties,
    int MinReaderVersion,
    int MinWriterVersion,
    IReadOnlyList<string> TableFeatures)
{
    /// <param name="name">The catalog name (<c>db.table</c>), or null for a table read by path.</param>
    public static TableDetail Of(DeltaSnapshot snapshot, string location, string? name) => new(
        "delta",
        snapshot.Metadata.Id,
        name,
        snapshot.Metadata.Description,
        location,
        snapshot.Metadata.CreatedTime is { } created ? DateTimeOffset.FromUnixTimeMilliseconds(created) : null,
        snapshot.Timestamp,
        snapshot.PartitionColumns,
        snapshot.ActiveFiles.Count,
        snapshot.ActiveFiles.Sum(f => f.Size),
        snapshot.Metadata.Configuration,
        snapshot.Protocol.MinReaderVersion,
        snapshot.Protocol.MinWriterVersion,
        Delta.TableFeatures.Enabled(snapshot.Protocol));
}
