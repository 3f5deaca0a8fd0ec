using System.Globalization;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Column ids and physical names for a column-mapped table's new fields (PROTOCOL.md, "Writer
/// Requirements for Column Mapping"): ids only grow, tracked by <c>delta.columnMapping.maxColumnId</c>,
/// and a fresh physical name keeps a re-added column from reading a dropped one's data.
/// </summary>
public static class ColumnIds
{
    /// <summary>
    /// Gives every field without a column id (all of a new table's, or those mergeSchema added) the next id
    /// and a fresh physical name, at every depth; returns the schema and the new <c>delta.columnMapping.maxColumnId</c>.
    /// </summary>
    public static (StructType Schema, long MaxColumnId) Assign(StructType schema, long maxColumnId)
    {
        var assigned = WithIds(schema, ref maxColumnId);
        return ((StructType)assigned, maxColumnId);
    }

    /// <summary>The table's <c>delta.columnMapping.maxColumnId</c>, or the largest id in its schema if that is larger (or the property missing).</summary>
    public static long MaxColumnId(MetadataAction metadata, StructType schema)
    {
        var stored = metadata.Configuration.TryGetValue(ColumnMapping.MaxColumnIdProperty, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return Math.Max(stored, LargestId(schema));
    }

    private static DataType WithIds(DataType type, ref long maxColumnId)
    {
        switch (type)
        {
            case StructType s:
                var fields = new List<StructField>(s.Count);
                foreach (var field in s.Fields)
                {
                    var metadata = field.Metadata.ContainsKey(ColumnMapping.IdKey)
                        ? field.Metadata
                        : WithMapping(field.Metadata, ++maxColumnId, $"col-{Guid.NewGuid()}");
                    fields.Add(new StructField(field.Name, WithIds(field.Type, ref maxColumnId), field.Nullable, metadata));
                }

                return new StructType(fields);
            case ArrayType a:
                return new ArrayType(WithIds(a.ElementType, ref maxColumnId), a.ContainsNull);
            case MapType m:
                var key = WithIds(m.KeyType, ref maxColumnId);
                return new MapType(key, WithIds(m.ValueType, ref maxColumnId), m.ValueContainsNull);
            default:
                return type;
        }
    }

    // The id is a JSON number in Delta's schema, the physical name a string.
    private static FieldMetadata WithMapping(IReadOnlyDictionary<string, string> metadata, long id, string physicalName)
    {
        var raw = metadata as FieldMetadata;
        var entries = metadata.Select(kv => (kv.Key, kv.Value, raw?.IsRawJson(kv.Key) ?? false)).ToList();
        entries.Add((ColumnMapping.IdKey, id.ToString(CultureInfo.InvariantCulture), true));
        entries.Add((ColumnMapping.PhysicalNameKey, physicalName, false));
        return new FieldMetadata(entries);
    }

    private static long LargestId(DataType type) => type switch
    {
        StructType s => s.Fields.Select(f => Math.Max(
            f.Metadata.TryGetValue(ColumnMapping.IdKey, out var id) && long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0,
            LargestId(f.Type))).DefaultIfEmpty(0).Max(),
        ArrayType a => LargestId(a.ElementType),
        MapType m => Math.Max(LargestId(m.KeyType), LargestId(m.ValueType)),
        _ => 0,
    };
}
