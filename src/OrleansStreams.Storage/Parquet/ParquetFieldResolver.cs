using OrleansStreams.Engine.Types;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Finds the Parquet field that holds a requested Spark field among the fields of one group (the
/// file's top level or a struct). Plain Parquet files match by name; Delta's column mapping matches
/// by physical name or field id (<see cref="Delta.ColumnMapping"/>). Returns null when the file has
/// no such field: the column then reads as NULL.
/// </summary>
internal abstract class ParquetFieldResolver
{
    /// <summary>By name, exact first, then ignoring case (as Spark's Parquet reader does by default).</summary>
    public static readonly ParquetFieldResolver ByName = new NameResolver();

    public abstract PqSchema.Field? Find(StructField field, IReadOnlyList<PqSchema.Field> candidates);

    /// <summary>Checks a file's schema once before any field is resolved in it (e.g. that it has field ids at all).</summary>
    public virtual void CheckFile(PqSchema.ParquetSchema schema)
    {
    }

    private sealed class NameResolver : ParquetFieldResolver
    {
        public override PqSchema.Field? Find(StructField field, IReadOnlyList<PqSchema.Field> candidates) =>
            candidates.FirstOrDefault(p => string.Equals(p.Name, field.Name, StringComparison.Ordinal))
            ?? candidates.FirstOrDefault(p => string.Equals(p.Name, field.Name, StringComparison.OrdinalIgnoreCase));
    }
}
