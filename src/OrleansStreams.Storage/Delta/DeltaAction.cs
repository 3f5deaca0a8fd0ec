using System.Text.Json;

namespace OrleansStreams.Storage.Delta;

/// <summary>One action of a Delta commit (one line of a <c>_delta_log/NNN.json</c> file).</summary>
public abstract record DeltaAction;

/// <summary>
/// The reader and writer versions a client needs to read or write the table. From reader version 3
/// and writer version 7 on, the versions alone say little: <see cref="ReaderFeatures"/> and
/// <see cref="WriterFeatures"/> name the table features a client must support (see <see cref="TableFeatures"/>).
/// </summary>
public sealed record ProtocolAction(
    int MinReaderVersion,
    int MinWriterVersion,
    IReadOnlyList<string>? ReaderFeatures = null,
    IReadOnlyList<string>? WriterFeatures = null) : DeltaAction
{
    /// <summary>The protocol this project gives new tables that need no table features: reader 1, writer 2.</summary>
    public static readonly ProtocolAction Default = new(1, 2);

    // Compare the feature lists by content: two protocol actions read from different files are equal
    // when they say the same thing.
    public bool Equals(ProtocolAction? other) =>
        other is not null
        && MinReaderVersion == other.MinReaderVersion
        && MinWriterVersion == other.MinWriterVersion
        && SameFeatures(ReaderFeatures, other.ReaderFeatures)
        && SameFeatures(WriterFeatures, other.WriterFeatures);

    public override int GetHashCode() => HashCode.Combine(MinReaderVersion, MinWriterVersion, ReaderFeatures?.Count, WriterFeatures?.Count);

    private static bool SameFeatures(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}

/// <summary>
/// Configuration that a system (<see cref="Domain"/>, e.g. <c>delta.clustering</c>) keeps in the log.
/// <see cref="Configuration"/> is opaque to everyone but that system; <see cref="Removed"/> is its tombstone.
/// </summary>
public sealed record DomainMetadataAction(string Domain, string Configuration, bool Removed) : DeltaAction;

/// <summary>The storage format of the data files (always parquet for Delta).</summary>
public sealed record FormatSpec(string Provider, IReadOnlyDictionary<string, string> Options)
{
    public static readonly FormatSpec Parquet = new("parquet", new Dictionary<string, string>());
}

/// <summary>
/// The table's identity, schema and properties. <see cref="SchemaString"/> stays the raw schema JSON:
/// parsing it is the schema parser's job.
/// </summary>
public sealed record MetadataAction(
    string Id,
    string? Name,
    string? Description,
    FormatSpec Format,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string> Configuration,
    long? CreatedTime) : DeltaAction
{
    /// <summary>New table metadata with a fresh id and the current time.</summary>
    public static MetadataAction Create(
        string schemaString,
        IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? configuration = null,
        string? name = null,
        string? description = null) =>
        new(
            Guid.NewGuid().ToString(),
            name,
            description,
            FormatSpec.Parquet,
            schemaString,
            partitionColumns ?? [],
            configuration ?? new Dictionary<string, string>(),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}

/// <summary>A data file that becomes part of the table. <see cref="Path"/> is a relative URI as written in the log.</summary>
public sealed record AddFile(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    bool DataChange = true,
    string? Stats = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    DeletionVectorDescriptor? DeletionVector = null) : DeltaAction
{
    /// <summary>
    /// The tombstone that removes this file at <paramref name="deletionTimestamp"/> (ms since the epoch).
    /// It names the file's deletion vector too: the logical file is (path, DV), and a remove without it would miss.
    /// </summary>
    public RemoveFile ToRemove(long deletionTimestamp, bool dataChange = true) =>
        new(Path, deletionTimestamp, dataChange, ExtendedFileMetadata: true, PartitionValues, Size, Tags, DeletionVector);
}

/// <summary>A tombstone: the file at <see cref="Path"/> (with <see cref="DeletionVector"/>, if any) is no longer part of the table.</summary>
public sealed record RemoveFile(
    string Path,
    long? DeletionTimestamp,
    bool DataChange = true,
    bool? ExtendedFileMetadata = null,
    IReadOnlyDictionary<string, string?>? PartitionValues = null,
    long? Size = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    DeletionVectorDescriptor? DeletionVector = null,
    string? Stats = null) : DeltaAction;

/// <summary>The latest version an application (e.g. a streaming query) committed: makes replays idempotent.</summary>
public sealed record TransactionAction(string AppId, long Version, long? LastUpdated) : DeltaAction;

/// <summary>
/// Free-form provenance of a commit. The well-known fields are typed; every other field is kept
/// in <see cref="Extra"/> so a commit read and written again loses nothing.
/// </summary>
public sealed record CommitInfo(
    long? Timestamp,
    string? Operation,
    IReadOnlyDictionary<string, string> OperationParameters,
    long? ReadVersion = null,
    bool? IsBlindAppend = null,
    IReadOnlyDictionary<string, JsonElement>? Extra = null) : DeltaAction
{
    /// <summary>The commitInfo field naming the transaction that wrote the commit (PROTOCOL.md, "Commit Provenance Information").</summary>
    public const string TxnIdField = "txnId";

    /// <summary>The <c>txnId</c> of the transaction that wrote the commit, when it recorded one.</summary>
    public string? TxnId =>
        Extra is not null && Extra.TryGetValue(TxnIdField, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
