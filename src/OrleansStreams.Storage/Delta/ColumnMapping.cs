using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// A table's logical column names (the schema users see) against the physical ones its files and log
/// use (PROTOCOL.md, "Column Mapping"). Every reader of data files, partition values or stats goes
/// through this, so a renamed column (new logical name, same physical one) or a dropped one (gone from
/// the schema, still in old files) reads correctly. With mode none every name is its own physical name.
/// </summary>
public sealed class ColumnMapping
{
    public const string ModeProperty = "delta.columnMapping.mode";
    public const string MaxColumnIdProperty = "delta.columnMapping.maxColumnId";
    public const string IdKey = "delta.columnMapping.id";
    public const string PhysicalNameKey = "delta.columnMapping.physicalName";

    public static readonly ColumnMapping None = new(ColumnMappingMode.None);

    private ColumnMapping(ColumnMappingMode mode)
    {
        Mode = mode;
        ParquetResolver = mode switch
        {
            ColumnMappingMode.Name => new PhysicalNameResolver(this),
            ColumnMappingMode.Id => new FieldIdResolver(),
            _ => ParquetFieldResolver.ByName,
        };
    }

    public ColumnMappingMode Mode { get; }

    /// <summary>How data file columns are matched to the schema's fields, at every nesting level.</summary>
    internal ParquetFieldResolver ParquetResolver { get; }

    public static ColumnMapping For(DeltaSnapshot snapshot) => For(snapshot.Protocol, snapshot.Metadata);

    /// <summary>
    /// The mapping in force: the mode property only counts when the protocol supports the feature
    /// (reader 2, or reader 3 listing <c>columnMapping</c>); otherwise files use the logical names.
    /// </summary>
    public static ColumnMapping For(ProtocolAction protocol, MetadataAction metadata)
    {
        var supported = protocol.MinReaderVersion == 2
            || (protocol.MinReaderVersion >= 3 && (protocol.ReaderFeatures?.Contains(TableFeatures.ColumnMapping) ?? false));
        if (!supported)
        {
            return None;
        }

        return ParseMode(metadata) switch
        {
            ColumnMappingMode.Name => ByName,
            ColumnMappingMode.Id => ById,
            _ => None,
        };
    }

    /// <summary>The mode property's value; null when it is set to something the protocol does not define.</summary>
    internal static ColumnMappingMode? ParseMode(MetadataAction metadata)
    {
        if (!metadata.Configuration.TryGetValue(ModeProperty, out var mode))
        {
            return ColumnMappingMode.None;
        }

        return mode.Trim().ToLowerInvariant() switch
        {
            "none" => ColumnMappingMode.None,
            "name" => ColumnMappingMode.Name,
            "id" => ColumnMappingMode.Id,
            _ => null,
        };
    }

    /// <summary>The name a field has in data files, partition values and stats.</summary>
    public string PhysicalName(StructField field)
    {
        if (Mode == ColumnMappingMode.None)
        {
            return field.Name;
        }

        return field.Metadata.TryGetValue(PhysicalNameKey, out var physical) && physical.Length > 0
            ? physical
            : throw new DeltaLogException($"Column {StructType.QuoteIdentifier(field.Name)} has no {PhysicalNameKey} in its metadata, which a table with column mapping mode {Mode.ToString().ToLowerInvariant()} needs");
    }

    /// <summary>The field's column id (its Parquet field id in id mode).</summary>
    public static int FieldId(StructField field) =>
        field.Metadata.TryGetValue(IdKey, out var id) && int.TryParse(id, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DeltaLogException($"Column {StructType.QuoteIdentifier(field.Name)} has no valid {IdKey} in its metadata, which a table with column mapping mode id needs");

    /// <summary>A file's raw partition value for a partition column (null: the value is null or missing).</summary>
    public string? PartitionValue(AddFile file, StructField column)
    {
        if (Mode == ColumnMappingMode.None)
        {
            // Spark matches partition columns case-insensitively.
            return file.PartitionValues.TryGetValue(column.Name, out var exact)
                ? exact
                : file.PartitionValues.FirstOrDefault(p => string.Equals(p.Key, column.Name, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return file.PartitionValues.TryGetValue(PhysicalName(column), out var value) ? value : null;
    }

    private static readonly ColumnMapping ByName = new(ColumnMappingMode.Name);
    private static readonly ColumnMapping ById = new(ColumnMappingMode.Id);

    private sealed class PhysicalNameResolver(ColumnMapping mapping) : ParquetFieldResolver
    {
        public override global::Parquet.Schema.Field? Find(StructField field, IReadOnlyList<global::Parquet.Schema.Field> candidates)
        {
            var physical = mapping.PhysicalName(field);
            return candidates.FirstOrDefault(p => string.Equals(p.Name, physical, StringComparison.Ordinal));
        }
    }

    private sealed class FieldIdResolver : ParquetFieldResolver
    {
        public override global::Parquet.Schema.Field? Find(StructField field, IReadOnlyList<global::Parquet.Schema.Field> candidates)
        {
            var id = FieldId(field);
            return candidates.FirstOrDefault(p => p.SchemaElement?.FieldId == id);
        }

        // PROTOCOL.md lets a reader refuse a file without field ids or read it as nulls; silently
        // returning nulls would hide data, so such a file is refused.
        public override void CheckFile(global::Parquet.Schema.ParquetSchema schema)
        {
            if (!schema.GetDataFields().Any(f => f.SchemaElement?.FieldId is not null))
            {
                throw new DeltaLogException("A data file of a table with column mapping mode id has no Parquet field ids, so its columns cannot be matched");
            }
        }
    }
}
