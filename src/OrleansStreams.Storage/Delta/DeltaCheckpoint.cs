using Parquet.Serialization;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Parquet checkpoints: the whole table state at one version (protocol, metadata, txns, live adds
/// and unexpired removes), one action per row in the protocol's checkpoint schema.
/// </summary>
internal static class DeltaCheckpoint
{
    /// <summary>
    /// Serializes the snapshot's state. Removes older than <paramref name="tombstoneCutoff"/> (ms) are dropped. A table
    /// with the v2Checkpoint feature gets a V2-spec classic checkpoint: the same rows plus a checkpointMetadata row.
    /// </summary>
    public static async Task<byte[]> WriteAsync(DeltaSnapshot snapshot, long tombstoneCutoff, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        if (snapshot.Protocol.WriterFeatures?.Contains(TableFeatures.V2Checkpoint) ?? false)
        {
            var rows = Rows<CheckpointV2Row>(snapshot, tombstoneCutoff);
            rows.Add(new CheckpointV2Row { CheckpointMetadata = new CheckpointMetadataRow { Version = snapshot.Version } });
            await ParquetSerializer.SerializeAsync(rows, stream, cancellationToken: cancellationToken);
        }
        else
        {
            await ParquetSerializer.SerializeAsync(Rows<CheckpointRow>(snapshot, tombstoneCutoff), stream, cancellationToken: cancellationToken);
        }

        return stream.ToArray();
    }

    /// <summary>How many rows <see cref="WriteAsync"/> writes for the snapshot (the size <c>_last_checkpoint</c> records).</summary>
    public static long RowCount(DeltaSnapshot snapshot, long tombstoneCutoff) =>
        2 + snapshot.DomainMetadata.Count + snapshot.Transactions.Count + snapshot.Files.Count
        + snapshot.Tombstones.Values.Count(r => (r.DeletionTimestamp ?? long.MaxValue) >= tombstoneCutoff)
        + ((snapshot.Protocol.WriterFeatures?.Contains(TableFeatures.V2Checkpoint) ?? false) ? 1 : 0);

    private static List<TRow> Rows<TRow>(DeltaSnapshot snapshot, long tombstoneCutoff)
        where TRow : CheckpointRow, new()
    {
        var rows = new List<TRow>(snapshot.Files.Count + snapshot.Transactions.Count + 3)
        {
            new() { Protocol = ToRow(snapshot.Protocol) },
            new() { MetaData = ToRow(snapshot.Metadata) },
        };
        rows.AddRange(snapshot.DomainMetadata.Values.Select(d => new TRow
        {
            DomainMetadata = new CheckpointDomainMetadata { Domain = d.Domain, Configuration = d.Configuration, Removed = d.Removed },
        }));
        rows.AddRange(snapshot.Transactions.Select(t => new TRow { Txn = new CheckpointTxn { AppId = t.Key, Version = t.Value } }));
        rows.AddRange(snapshot.Files.Values.Select(a => new TRow { Add = ToRow(a) }));
        rows.AddRange(snapshot.Tombstones.Values
            .Where(r => (r.DeletionTimestamp ?? long.MaxValue) >= tombstoneCutoff)
            .Select(r => new TRow { Remove = ToRow(r) }));
        return rows;
    }

    /// <summary>Reads the actions of one checkpoint file (ours or Spark's). <paramref name="source"/> names it in errors.</summary>
    public static async Task<IReadOnlyList<DeltaAction>> ReadAsync(byte[] content, string source, CancellationToken cancellationToken)
    {
        IList<CheckpointV2Row> rows;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            rows = (await ParquetSerializer.DeserializeAsync<CheckpointV2Row>(stream, cancellationToken: cancellationToken)).Data;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DeltaLogException($"{source}: cannot read the Delta checkpoint: {e.Message}", e);
        }

        var actions = new List<DeltaAction>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Add is { Path: { } addPath } add)
            {
                actions.Add(new AddFile(addPath, Nullable(add.PartitionValues), add.Size ?? 0, add.ModificationTime ?? 0, add.DataChange ?? false, add.Stats, add.Tags, FromRow(add.DeletionVector)));
            }
            else if (row.Remove is { Path: { } removePath } remove)
            {
                actions.Add(new RemoveFile(removePath, remove.DeletionTimestamp, remove.DataChange ?? false, remove.ExtendedFileMetadata, remove.PartitionValues is null ? null : Nullable(remove.PartitionValues), remove.Size, DeletionVector: FromRow(remove.DeletionVector)));
            }
            else if (row.Txn is { AppId: { } appId, Version: { } txnVersion } txn)
            {
                actions.Add(new TransactionAction(appId, txnVersion, txn.LastUpdated));
            }
            else if (row.MetaData is { Id: { } id, SchemaString: { } schema } m)
            {
                actions.Add(new MetadataAction(
                    id,
                    m.Name,
                    m.Description,
                    new FormatSpec(m.Format?.Provider ?? "parquet", m.Format?.Options ?? []),
                    schema,
                    m.PartitionColumns ?? [],
                    m.Configuration ?? [],
                    m.CreatedTime));
            }
            else if (row.Protocol is { MinReaderVersion: { } reader, MinWriterVersion: { } writer } protocol)
            {
                actions.Add(new ProtocolAction(reader, writer, protocol.ReaderFeatures, protocol.WriterFeatures));
            }
            else if (row.DomainMetadata is { Domain: { } domain } domainMetadata)
            {
                actions.Add(new DomainMetadataAction(domain, domainMetadata.Configuration ?? string.Empty, domainMetadata.Removed ?? false));
            }
            else if (row.Sidecar is { Path: { } sidecarPath } sidecar)
            {
                actions.Add(new SidecarAction(sidecarPath, sidecar.SizeInBytes ?? 0, sidecar.ModificationTime ?? 0, sidecar.Tags));
            }
            else if (row.CheckpointMetadata is { Version: { } checkpointVersion } checkpointMetadata)
            {
                actions.Add(new CheckpointMetadataAction(checkpointVersion, checkpointMetadata.Tags));
            }
        }

        return actions;
    }

    private static Dictionary<string, string?> Nullable(Dictionary<string, string>? map) =>
        map is null ? [] : map.ToDictionary(e => e.Key, e => (string?)e.Value);

    private static Dictionary<string, string> NonNullable(IReadOnlyDictionary<string, string?>? map) =>
        map is null ? [] : map.ToDictionary(e => e.Key, e => e.Value!);

    private static CheckpointProtocol ToRow(ProtocolAction p) => new()
    {
        MinReaderVersion = p.MinReaderVersion,
        MinWriterVersion = p.MinWriterVersion,
        ReaderFeatures = p.ReaderFeatures is null ? null : [.. p.ReaderFeatures],
        WriterFeatures = p.WriterFeatures is null ? null : [.. p.WriterFeatures],
    };

    private static CheckpointMetadata ToRow(MetadataAction m) => new()
    {
        Id = m.Id,
        Name = m.Name,
        Description = m.Description,
        Format = new CheckpointFormat { Provider = m.Format.Provider, Options = new Dictionary<string, string>(m.Format.Options) },
        SchemaString = m.SchemaString,
        PartitionColumns = [.. m.PartitionColumns],
        Configuration = new Dictionary<string, string>(m.Configuration),
        CreatedTime = m.CreatedTime,
    };

    private static CheckpointAdd ToRow(AddFile a) => new()
    {
        Path = a.Path,
        PartitionValues = NonNullable(a.PartitionValues),
        Size = a.Size,
        ModificationTime = a.ModificationTime,
        DataChange = a.DataChange,
        Tags = a.Tags is null ? null : new Dictionary<string, string>(a.Tags),
        Stats = a.Stats,
        DeletionVector = ToRow(a.DeletionVector),
    };

    private static CheckpointRemove ToRow(RemoveFile r) => new()
    {
        Path = r.Path,
        DeletionTimestamp = r.DeletionTimestamp,
        DataChange = r.DataChange,
        ExtendedFileMetadata = r.ExtendedFileMetadata,
        PartitionValues = r.PartitionValues is null ? null : NonNullable(r.PartitionValues),
        Size = r.Size,
        DeletionVector = ToRow(r.DeletionVector),
    };

    private static CheckpointDeletionVector? ToRow(DeletionVectorDescriptor? dv) => dv is null ? null : new()
    {
        StorageType = dv.StorageType,
        PathOrInlineDv = dv.PathOrInlineDv,
        Offset = dv.Offset,
        SizeInBytes = dv.SizeInBytes,
        Cardinality = dv.Cardinality,
        MaxRowIndex = dv.MaxRowIndex,
    };

    private static DeletionVectorDescriptor? FromRow(CheckpointDeletionVector? row) =>
        row is { StorageType: { } storageType, PathOrInlineDv: { } pathOrInline, SizeInBytes: { } size, Cardinality: { } cardinality }
            ? new DeletionVectorDescriptor(storageType, pathOrInline, row.Offset, size, cardinality, row.MaxRowIndex)
            : null;
}
