using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Which Delta table features this project reads and writes, and the checks that refuse a table it
/// cannot handle correctly. The protocol names features explicitly from reader version 3 / writer
/// version 7 on; older versions imply a fixed set (PROTOCOL.md, "Protocol Versioning"), which only
/// matter here when the table actually uses them.
/// </summary>
public static class TableFeatures
{
    public const string AppendOnly = "appendOnly";
    public const string Invariants = "invariants";
    public const string CheckConstraints = "checkConstraints";
    public const string TimestampNtz = "timestampNtz";
    public const string DomainMetadata = "domainMetadata";
    public const string VacuumProtocolCheck = "vacuumProtocolCheck";
    public const string ColumnMapping = "columnMapping";
    public const string ChangeDataFeed = "changeDataFeed";
    public const string GeneratedColumns = "generatedColumns";
    public const string IdentityColumns = "identityColumns";
    public const string TypeWidening = "typeWidening";
    public const string TypeWideningPreview = "typeWidening-preview";
    public const string DeletionVectors = "deletionVectors";
    public const string V2Checkpoint = "v2Checkpoint";

    public const string AppendOnlyProperty = "delta.appendOnly";
    public const string ConstraintPropertyPrefix = "delta.constraints.";
    public const string InvariantsMetadataKey = "delta.invariants";

    /// <summary>
    /// Reader features a snapshot of ours returns correct rows for. The writer-only names are accepted
    /// too: they never change what a reader sees, so a table listing them there is still readable.
    /// Column mapping goes through <see cref="Delta.ColumnMapping"/>; type widening through the Parquet
    /// leaf decoder's conversions, checked against <see cref="TypeChanges"/>. deletionVectors: the reader drops the
    /// rows each file's DV lists. v2Checkpoint: UUID-named checkpoints, checkpointMetadata and sidecar files are read.
    /// </summary>
    public static readonly IReadOnlySet<string> ReadableFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        TimestampNtz, VacuumProtocolCheck, AppendOnly, Invariants, CheckConstraints, DomainMetadata,
        ColumnMapping, TypeWidening, TypeWideningPreview, DeletionVectors, V2Checkpoint,
    };

    /// <summary>
    /// Writer features whose rules our writes follow. vacuumProtocolCheck only constrains VACUUM, which checks
    /// that it supports every feature of the table first (TableVacuum); domainMetadata is kept through log replay
    /// and checkpoints without being interpreted. typeWidening asks writers to apply only supported type
    /// changes, record them and keep <c>delta.typeChanges</c>: our writes change no column's type
    /// (mergeSchema refuses type changes and keeps field metadata) and write the table's current type.
    /// Column mapping: files are written under physical names with field ids, partition values and stats
    /// keyed by physical names, and mergeSchema's new columns get ids (<see cref="Delta.ColumnMapping"/>).
    /// deletionVectors: we never write a new DV, and the files we remove are removed with their DV (the logical
    /// file), which is all the feature asks of such a writer. v2Checkpoint: our checkpoints of such tables are
    /// V2-spec classic ones (a checkpointMetadata row, no sidecars, never multi-part), which the protocol allows.
    /// </summary>
    public static readonly IReadOnlySet<string> WritableFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        AppendOnly, Invariants, CheckConstraints, TimestampNtz, DomainMetadata, VacuumProtocolCheck,
        TypeWidening, TypeWideningPreview, ColumnMapping, DeletionVectors, V2Checkpoint,
    };

    /// <summary>Throws <see cref="DeltaUnsupportedFeatureException"/> unless this project can read the table correctly.</summary>
    public static void EnsureReadable(string table, ProtocolAction protocol, MetadataAction metadata)
    {
        switch (protocol.MinReaderVersion)
        {
            case 1:
                return;
            case 2:
                // Reader version 2 means column mapping (its mode property is honoured at this version).
                EnsureColumnMappingMode(table, metadata);
                return;
            case 3:
                var features = protocol.ReaderFeatures ?? [];
                var refused = features.Where(f => !ReadableFeatures.Contains(f)).ToList();
                if (refused.Count > 0)
                {
                    throw Unsupported(table, "read", refused);
                }

                if (features.Contains(ColumnMapping))
                {
                    EnsureColumnMappingMode(table, metadata);
                }

                if (features.Contains(TypeWidening) || features.Contains(TypeWideningPreview))
                {
                    EnsureTypeChanges(table, metadata);
                }

                return;
            default:
                throw new DeltaUnsupportedFeatureException(
                    table,
                    [],
                    $"Delta table {table} needs reader version {protocol.MinReaderVersion}; this reader supports versions 1 to 3");
        }
    }

    /// <summary>Throws <see cref="DeltaUnsupportedFeatureException"/> unless this project's writes follow every rule the table asks of writers.</summary>
    public static void EnsureWritable(string table, ProtocolAction protocol, MetadataAction metadata)
    {
        EnsureReadable(table, protocol, metadata);
        List<string> refused;
        if (protocol.MinWriterVersion >= 7)
        {
            if (protocol.MinWriterVersion > 7)
            {
                throw new DeltaUnsupportedFeatureException(
                    table,
                    [],
                    $"Delta table {table} needs writer version {protocol.MinWriterVersion}; this writer supports versions 2 to 7");
            }

            // Listed features count whether or not the table uses them yet: a writer must keep their
            // rules from the moment they are supported (e.g. fill a generated column on every append).
            refused = [.. (protocol.WriterFeatures ?? []).Where(f => !WritableFeatures.Contains(f))];
        }
        else
        {
            // Legacy versions imply features; only those the table actually uses need more than we do.
            var schema = SchemaJson.Parse(metadata.SchemaString);
            refused = [];
            if (protocol.MinWriterVersion >= 4 && IsTrue(metadata, "delta.enableChangeDataFeed"))
            {
                refused.Add(ChangeDataFeed);
            }

            if (protocol.MinWriterVersion >= 4 && AnyField(schema, f => f.Metadata.ContainsKey("delta.generationExpression")))
            {
                refused.Add(GeneratedColumns);
            }

            if (protocol.MinWriterVersion >= 6 && AnyField(schema, f => f.Metadata.ContainsKey("delta.identity.start")))
            {
                refused.Add(IdentityColumns);
            }
        }

        if (refused.Count > 0)
        {
            throw Unsupported(table, "write to", refused);
        }
    }

    /// <summary>Whether the table is append-only: the feature is supported by its protocol and <c>delta.appendOnly</c> is true.</summary>
    public static bool IsAppendOnly(ProtocolAction protocol, MetadataAction metadata) =>
        WriterSupports(protocol, AppendOnly, legacyFromVersion: 2) && IsTrue(metadata, AppendOnlyProperty);

    /// <summary>Whether CHECK constraints stored as <c>delta.constraints.*</c> properties are in force for writers.</summary>
    public static bool EnforcesCheckConstraints(ProtocolAction protocol) => WriterSupports(protocol, CheckConstraints, legacyFromVersion: 3);

    /// <summary>Whether column invariants (<c>delta.invariants</c> field metadata) are in force for writers.</summary>
    public static bool EnforcesInvariants(ProtocolAction protocol) => WriterSupports(protocol, Invariants, legacyFromVersion: 2);

    /// <summary>
    /// The protocol for a new table with this schema and these properties: reader 1 / writer 2 when
    /// that suffices, writer 3 for CHECK constraints, and reader 3 / writer 7 with named features when
    /// a column is timestamp_ntz (which has no legacy version), reader 2 / writer 5 with column mapping.
    /// Writer 7 implies nothing, so the legacy features we keep enforcing are then listed by name.
    /// </summary>
    public static ProtocolAction ForNewTable(StructType schema, IReadOnlyDictionary<string, string>? configuration)
    {
        var constraints = configuration?.Keys.Any(k => k.StartsWith(ConstraintPropertyPrefix, StringComparison.Ordinal)) ?? false;
        var columnMapping = configuration is not null && configuration.TryGetValue(Delta.ColumnMapping.ModeProperty, out var mode)
            && !string.Equals(mode.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        if (HasTimestampNtz(schema))
        {
            List<string> reader = [TimestampNtz];
            List<string> writer = [AppendOnly, Invariants, TimestampNtz];
            if (constraints)
            {
                writer.Insert(2, CheckConstraints);
            }

            if (columnMapping)
            {
                reader.Add(ColumnMapping);
                writer.Add(ColumnMapping);
            }

            return new ProtocolAction(3, 7, reader, writer);
        }

        // Column mapping's legacy versions: reader 2 / writer 5 (which implies CHECK constraints too).
        return columnMapping ? new ProtocolAction(2, 5) : constraints ? new ProtocolAction(1, 3) : ProtocolAction.Default;
    }

    /// <summary>
    /// The features the protocol supports (<c>DESCRIBE DETAIL</c>'s tableFeatures): named ones from writer version 7 on,
    /// otherwise those each legacy version implies (PROTOCOL.md, "Protocol Versioning").
    /// </summary>
    public static IReadOnlyList<string> Enabled(ProtocolAction protocol)
    {
        if (protocol.MinWriterVersion >= 7)
        {
            return [.. (protocol.ReaderFeatures ?? []).Union(protocol.WriterFeatures ?? []).Order(StringComparer.Ordinal)];
        }

        var implied = new List<string>();
        (int Version, string[] Features)[] legacy =
        [
            (2, [AppendOnly, Invariants]),
            (3, [CheckConstraints]),
            (4, [ChangeDataFeed, GeneratedColumns]),
            (5, [ColumnMapping]),
            (6, [IdentityColumns]),
        ];
        foreach (var (version, features) in legacy)
        {
            if (protocol.MinWriterVersion >= version)
            {
                implied.AddRange(features);
            }
        }

        return [.. implied.Order(StringComparer.Ordinal)];
    }

    private static bool WriterSupports(ProtocolAction protocol, string feature, int legacyFromVersion) =>
        protocol.MinWriterVersion >= 7
            ? protocol.WriterFeatures?.Contains(feature) ?? false
            : protocol.MinWriterVersion >= legacyFromVersion;

    private static void EnsureColumnMappingMode(string table, MetadataAction metadata)
    {
        if (Delta.ColumnMapping.ParseMode(metadata) is null)
        {
            throw new DeltaUnsupportedFeatureException(
                table,
                [ColumnMapping],
                $"Delta table {table} has {Delta.ColumnMapping.ModeProperty} = {metadata.Configuration[Delta.ColumnMapping.ModeProperty]}; the modes are none, name and id");
        }
    }

    // Readers must fail on a recorded type change they cannot apply (PROTOCOL.md, "Reader Requirements for Type Widening").
    private static void EnsureTypeChanges(string table, MetadataAction metadata)
    {
        var unsupported = TypeChanges.Unsupported(SchemaJson.Parse(metadata.SchemaString));
        if (unsupported.Count > 0)
        {
            throw new DeltaUnsupportedFeatureException(
                table,
                [TypeWidening],
                $"Delta table {table} records type changes this reader cannot apply: {string.Join("; ", unsupported)}");
        }
    }

    private static bool IsTrue(MetadataAction metadata, string property) =>
        metadata.Configuration.TryGetValue(property, out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static bool AnyField(StructType schema, Func<StructField, bool> predicate) =>
        schema.Fields.Any(f => predicate(f) || (NestedStruct(f.Type) is { } nested && AnyField(nested, predicate)));

    /// <summary>Whether a column, at any depth (structs, arrays, maps), is timestamp_ntz: such a table needs the timestampNtz feature.</summary>
    public static bool HasTimestampNtz(StructType schema) => AnyType(schema, t => t is TimestampNtzType);

    private static bool AnyType(DataType type, Func<DataType, bool> predicate) =>
        predicate(type) || type switch
        {
            StructType s => s.Fields.Any(f => AnyType(f.Type, predicate)),
            ArrayType a => AnyType(a.ElementType, predicate),
            MapType m => AnyType(m.KeyType, predicate) || AnyType(m.ValueType, predicate),
            _ => false,
        };

    private static StructType? NestedStruct(DataType type) => type switch
    {
        StructType s => s,
        ArrayType a => NestedStruct(a.ElementType),
        MapType m => NestedStruct(m.ValueType),
        _ => null,
    };

    private static DeltaUnsupportedFeatureException Unsupported(string table, string verb, IReadOnlyList<string> features) =>
        new(
            table,
            features,
            $"Delta table {table} uses table feature{(features.Count == 1 ? string.Empty : "s")} {string.Join(", ", features)}, which this project cannot {verb} yet");
}
