using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Delta;

/// <summary>Data file columns of a name-mode table: found by their physical names.</summary>
internal sealed class PhysicalNameResolver(ColumnMapping mapping) : ParquetFieldResolver
{
    public override PqSchema.Field? Find(StructField field, IReadOnlyList<PqSchema.Field> candidates)
    {
        var physical = mapping.PhysicalName(field);
        return candidates.FirstOrDefault(p => string.Equals(p.Name, physical, StringComparison.Ordinal));
    }
}

/// <summary>Data file columns of an id-mode table: found by Parquet field id (Parquet.Net exposes it on each field's schema element).</summary>
internal sealed class FieldIdResolver : ParquetFieldResolver
{
    public override PqSchema.Field? Find(StructField field, IReadOnlyList<PqSchema.Field> candidates)
    {
        var id = ColumnMapping.FieldId(field);
        return candidates.FirstOrDefault(p => p.SchemaElement?.FieldId == id);
    }

    // PROTOCOL.md lets a reader refuse a file without field ids or read it as nulls; silently
    // returning nulls would hide data, so such a file is refused.
    public override void CheckFile(PqSchema.ParquetSchema schema)
    {
        if (!schema.GetDataFields().Any(f => f.SchemaElement?.FieldId is not null))
        {
            throw new DeltaLogException("A data file of a table with column mapping mode id has no Parquet field ids, so its columns cannot be matched");
        }
    }
}
