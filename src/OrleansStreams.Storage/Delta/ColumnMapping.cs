using System.Globalization;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;
using ArrowType = Apache.Arrow.Types;

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
        field.Metadata.TryGetValue(IdKey, out var id) && int.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DeltaLogException($"Column {StructType.QuoteIdentifier(field.Name)} has no valid {IdKey} in its metadata, which a table with column mapping mode id needs");

    /// <summary>
    /// The schema data files are written in: every struct field under its physical name, with its column
    /// id as the Parquet field id (PROTOCOL.md asks writers for both in either mode).
    /// </summary>
    public StructType ToPhysical(StructType logical) =>
        Mode == ColumnMappingMode.None ? logical : new StructType(logical.Fields.Select(PhysicalField));

    /// <summary>The same columns relabelled with <paramref name="physical"/>'s names (from <see cref="ToPhysical(StructType)"/>); no value is copied.</summary>
    public RecordBatch ToPhysical(RecordBatch batch, StructType physical)
    {
        if (Mode == ColumnMappingMode.None)
        {
            return batch;
        }

        var schema = ArrowTypes.ToArrowSchema(physical);
        var columns = new IArrowArray[batch.ColumnCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = ArrowArrayFactory.BuildArray(Relabel(batch.Column(i).Data, schema.FieldsList[i].DataType));
        }

        return new RecordBatch(schema, columns, batch.Length);
    }

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

    private StructField PhysicalField(StructField field) =>
        new(PhysicalName(field), PhysicalType(field.Type), field.Nullable, new Dictionary<string, string>
        {
            [ParquetColumnLayout.FieldIdMetadataKey] = FieldId(field).ToString(CultureInfo.InvariantCulture),
        });

    private DataType PhysicalType(DataType type) => type switch
    {
        StructType s => new StructType(s.Fields.Select(PhysicalField)),
        ArrayType a => new ArrayType(PhysicalType(a.ElementType), a.ContainsNull),
        MapType m => new MapType(PhysicalType(m.KeyType), PhysicalType(m.ValueType), m.ValueContainsNull),
        _ => type,
    };

    // Arrow arrays carry their (nested) field names in their types: rebuild the type tree over the same buffers.
    private static ArrayData Relabel(ArrayData data, ArrowType.IArrowType type)
    {
        ArrayData[]? children = type switch
        {
            ArrowType.StructType s => [.. data.Children.Select((c, i) => Relabel(c, s.Fields[i].DataType))],
            ArrowType.MapType m => [Relabel(data.Children[0], m.KeyValueType)],
            ArrowType.ListType l => [Relabel(data.Children[0], l.ValueDataType)],
            _ => null,
        };
        return children is null ? data : new ArrayData(type, data.Length, data.NullCount, data.Offset, data.Buffers, children);
    }

    private static readonly ColumnMapping ByName = new(ColumnMappingMode.Name);
    private static readonly ColumnMapping ById = new(ColumnMappingMode.Id);
}
