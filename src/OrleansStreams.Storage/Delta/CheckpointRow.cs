using System.Text.Json.Serialization;

namespace OrleansStreams.Storage.Delta;

// The protocol's checkpoint schema as classes for Parquet.Net's serializer: one action per row,
// every other column null. Column names are the protocol's; columns Spark adds that are not here
// (commitInfo, partitionValues_parsed, stats_parsed) are ignored on read.

internal class CheckpointRow
{
    [JsonPropertyName("txn")]
    public CheckpointTxn? Txn { get; set; }

    [JsonPropertyName("add")]
    public CheckpointAdd? Add { get; set; }

    [JsonPropertyName("remove")]
    public CheckpointRemove? Remove { get; set; }

    [JsonPropertyName("metaData")]
    public CheckpointMetadata? MetaData { get; set; }

    [JsonPropertyName("protocol")]
    public CheckpointProtocol? Protocol { get; set; }

    [JsonPropertyName("domainMetadata")]
    public CheckpointDomainMetadata? DomainMetadata { get; set; }
}

/// <summary>
/// A row of a V2-spec checkpoint, which may also carry checkpointMetadata and sidecar actions: every checkpoint is
/// read this way, and ours are written this way on v2Checkpoint tables. Kept out of <see cref="CheckpointRow"/> so
/// the V1 checkpoints of other tables have no such columns.
/// </summary>
internal sealed class CheckpointV2Row : CheckpointRow
{
    [JsonPropertyName("checkpointMetadata")]
    public CheckpointMetadataRow? CheckpointMetadata { get; set; }

    [JsonPropertyName("sidecar")]
    public CheckpointSidecar? Sidecar { get; set; }
}

internal sealed class CheckpointMetadataRow
{
    [JsonPropertyName("version")]
    public long? Version { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }
}

internal sealed class CheckpointSidecar
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("sizeInBytes")]
    public long? SizeInBytes { get; set; }

    [JsonPropertyName("modificationTime")]
    public long? ModificationTime { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }
}

internal sealed class CheckpointTxn
{
    [JsonPropertyName("appId")]
    public string? AppId { get; set; }

    [JsonPropertyName("version")]
    public long? Version { get; set; }

    [JsonPropertyName("lastUpdated")]
    public long? LastUpdated { get; set; }
}

internal sealed class CheckpointAdd
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("partitionValues")]
    public Dictionary<string, string>? PartitionValues { get; set; }

    [JsonPropertyName("size")]
    public long? Size { get; set; }

    [JsonPropertyName("modificationTime")]
    public long? ModificationTime { get; set; }

    [JsonPropertyName("dataChange")]
    public bool? DataChange { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }

    [JsonPropertyName("stats")]
    public string? Stats { get; set; }

    [JsonPropertyName("deletionVector")]
    public CheckpointDeletionVector? DeletionVector { get; set; }
}

internal sealed class CheckpointRemove
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("deletionTimestamp")]
    public long? DeletionTimestamp { get; set; }

    [JsonPropertyName("dataChange")]
    public bool? DataChange { get; set; }

    [JsonPropertyName("extendedFileMetadata")]
    public bool? ExtendedFileMetadata { get; set; }

    [JsonPropertyName("partitionValues")]
    public Dictionary<string, string>? PartitionValues { get; set; }

    [JsonPropertyName("size")]
    public long? Size { get; set; }

    [JsonPropertyName("deletionVector")]
    public CheckpointDeletionVector? DeletionVector { get; set; }
}

/// <summary>The deletionVector struct of add and remove rows (PROTOCOL.md, "Deletion Vector Descriptor Schema").</summary>
internal sealed class CheckpointDeletionVector
{
    [JsonPropertyName("storageType")]
    public string? StorageType { get; set; }

    [JsonPropertyName("pathOrInlineDv")]
    public string? PathOrInlineDv { get; set; }

    [JsonPropertyName("offset")]
    public int? Offset { get; set; }

    [JsonPropertyName("sizeInBytes")]
    public int? SizeInBytes { get; set; }

    [JsonPropertyName("cardinality")]
    public long? Cardinality { get; set; }

    [JsonPropertyName("maxRowIndex")]
    public long? MaxRowIndex { get; set; }
}

internal sealed class CheckpointMetadata
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("format")]
    public CheckpointFormat? Format { get; set; }

    [JsonPropertyName("schemaString")]
    public string? SchemaString { get; set; }

    [JsonPropertyName("partitionColumns")]
    public List<string>? PartitionColumns { get; set; }

    [JsonPropertyName("configuration")]
    public Dictionary<string, string>? Configuration { get; set; }

    [JsonPropertyName("createdTime")]
    public long? CreatedTime { get; set; }
}

internal sealed class CheckpointFormat
{
    [JsonPropertyName("provider")]
    public string? Provider { get; set; }

    [JsonPropertyName("options")]
    public Dictionary<string, string>? Options { get; set; }
}

internal sealed class CheckpointProtocol
{
    [JsonPropertyName("minReaderVersion")]
    public int? MinReaderVersion { get; set; }

    [JsonPropertyName("minWriterVersion")]
    public int? MinWriterVersion { get; set; }

    [JsonPropertyName("readerFeatures")]
    public List<string>? ReaderFeatures { get; set; }

    [JsonPropertyName("writerFeatures")]
    public List<string>? WriterFeatures { get; set; }
}

internal sealed class CheckpointDomainMetadata
{
    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    [JsonPropertyName("configuration")]
    public string? Configuration { get; set; }

    [JsonPropertyName("removed")]
    public bool? Removed { get; set; }
}
