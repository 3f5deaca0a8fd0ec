using System.Globalization;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Where the deleted rows of a data file are kept (PROTOCOL.md, "Deletion Vector Descriptor Schema"):
/// <see cref="StorageType"/> <c>u</c> (a file next to the data, named by a Z85 UUID), <c>i</c> (inline,
/// Z85 bytes) or <c>p</c> (a file by absolute path). Kept as written so commits and checkpoints round-trip.
/// </summary>
public sealed record DeletionVectorDescriptor(
    string StorageType,
    string PathOrInlineDv,
    int? Offset,
    int SizeInBytes,
    long Cardinality,
    long? MaxRowIndex = null)
{
    public const string UuidRelative = "u";
    public const string Inline = "i";
    public const string AbsolutePath = "p";

    /// <summary>The DV's identity within a file's log actions: files are keyed by (path, this).</summary>
    public string UniqueId => Offset is { } offset
        ? string.Concat(StorageType, PathOrInlineDv, "@", offset.ToString(CultureInfo.InvariantCulture))
        : StorageType + PathOrInlineDv;
}
