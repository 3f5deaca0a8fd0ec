using System.Buffers.Binary;
using System.IO.Hashing;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Delta.DeletionVectors;

/// <summary>
/// Loads the deleted row indexes a <see cref="DeletionVectorDescriptor"/> points at: inline (Z85 in the log),
/// or in a DV file inside the table (PROTOCOL.md, "Deletion Vector File Storage Format": a version byte, then
/// at the DV's offset its big-endian size, the bitmap and a CRC-32 of the bitmap).
/// </summary>
public sealed class DeletionVectorStore(IObjectStore tableStore)
{
    private const byte FileFormatVersion = 1;
    private const int UuidZ85Length = 20;

    /// <summary>The sorted row indexes deleted from <paramref name="dataFile"/>; errors name the DV and the data file.</summary>
    public async Task<long[]> LoadAsync(DeletionVectorDescriptor dv, string dataFile, string table, CancellationToken cancellationToken)
    {
        string? key;
        try
        {
            key = dv.StorageType == DeletionVectorDescriptor.Inline ? null : FileKey(dv, table);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{e.Message} (the deletion vector of data file {dataFile})", e);
        }
        catch (FormatException e)
        {
            throw new DeltaLogException($"Table {table}: the deletion vector '{dv.PathOrInlineDv}' of data file {dataFile} does not name a file: {e.Message}", e);
        }

        var source = key is null ? "inline deletion vector" : $"deletion vector file {key}";
        long[] rows;
        try
        {
            var bitmap = key is null
                ? Z85.Decode(dv.PathOrInlineDv).AsMemory(0, dv.SizeInBytes)
                : await ReadFromFileAsync(key, dv, cancellationToken).ConfigureAwait(false);
            rows = RoaringBitmapArray.Decode(bitmap.Span);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new DeltaLogException($"Table {table}: the {source} of data file {dataFile} is corrupt: {e.Message}", e);
        }
        catch (ObjectNotFoundException e)
        {
            throw new DeltaLogException($"Table {table}: the {source} of data file {dataFile} is in the log but missing from storage", e);
        }

        if (rows.LongLength != dv.Cardinality)
        {
            throw new DeltaLogException(
                $"Table {table}: the {source} of data file {dataFile} holds {rows.LongLength} rows but the log says its cardinality is {dv.Cardinality}");
        }

        return rows;
    }

    /// <summary>The store key of an on-disk DV; absolute paths must lie inside the table, as data files must.</summary>
    public string FileKey(DeletionVectorDescriptor dv, string table)
    {
        switch (dv.StorageType)
        {
            case DeletionVectorDescriptor.UuidRelative:
                var text = dv.PathOrInlineDv;
                if (text.Length < UuidZ85Length)
                {
                    throw new DeltaLogException($"Table {table}: deletion vector '{text}' is too short to hold a Z85 UUID");
                }

                var prefix = text[..^UuidZ85Length];
                var uuid = new Guid(Z85.Decode(text.AsSpan()[^UuidZ85Length..]), bigEndian: true);
                var name = $"deletion_vector_{uuid:D}.bin";
                return prefix.Length == 0 ? name : $"{prefix}/{name}";
            case DeletionVectorDescriptor.AbsolutePath:
                return InsideTable(dv.PathOrInlineDv)
                    ?? throw new NotSupportedException(
                        $"Table {table} refers to deletion vector {dv.PathOrInlineDv} by an absolute path outside the table folder, which is not supported; only files inside the table folder are");
            default:
                throw new DeltaLogException($"Table {table}: unknown deletion vector storage type '{dv.StorageType}'");
        }
    }

    private string? InsideTable(string absolutePath)
    {
        string path;
        if (Uri.TryCreate(absolutePath, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            path = uri.LocalPath;
        }
        else if (absolutePath.StartsWith('/'))
        {
            path = Uri.UnescapeDataString(absolutePath);
        }
        else
        {
            return null;
        }

        var root = tableStore.Root.TrimEnd('/', Path.DirectorySeparatorChar) + "/";
        path = path.Replace(Path.DirectorySeparatorChar, '/');
        root = root.Replace(Path.DirectorySeparatorChar, '/');
        return path.StartsWith(root, StringComparison.Ordinal) && !path[root.Length..].Split('/').Contains("..")
            ? path[root.Length..]
            : null;
    }

    private async Task<ReadOnlyMemory<byte>> ReadFromFileAsync(string key, DeletionVectorDescriptor dv, CancellationToken cancellationToken)
    {
        var offset = dv.Offset ?? 0;
        var header = await tableStore.ReadRangeAsync(key, 0, 1, cancellationToken).ConfigureAwait(false);
        if (header.Length != 1 || header[0] != FileFormatVersion)
        {
            throw new FormatException($"the file has format version {(header.Length == 0 ? "none" : header[0])}, not {FileFormatVersion}");
        }

        // size (4) + bitmap + checksum (4), all big-endian.
        var framed = await tableStore.ReadRangeAsync(key, offset, dv.SizeInBytes + 8, cancellationToken).ConfigureAwait(false);
        if (framed.Length != dv.SizeInBytes + 8)
        {
            throw new FormatException($"the file ends before the {dv.SizeInBytes} bytes at offset {offset} the log points at");
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(framed);
        if (size != dv.SizeInBytes)
        {
            throw new FormatException($"the DV at offset {offset} is {size} bytes, but the log says {dv.SizeInBytes}");
        }

        var bitmap = framed.AsMemory(4, size);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(framed.AsSpan(4 + size));
        var actual = Crc32.HashToUInt32(bitmap.Span);
        if (actual != expected)
        {
            throw new FormatException($"checksum mismatch at offset {offset}: stored {expected:x8}, computed {actual:x8}");
        }

        return bitmap;
    }
}
