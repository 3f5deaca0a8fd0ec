using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Reads a Parquet file as Arrow batches of a requested schema, one batch per row group. Columns
/// are matched by name (case-insensitively) unless a <see cref="ParquetFieldResolver"/> says otherwise;
/// a requested column the file lacks reads as NULL, which is how Delta reads files written before a
/// column was added. Only requested columns are decoded; values of a narrower type than requested
/// (a file written before a type was widened) are widened as their leaves are decoded.
/// </summary>
public static class ParquetBatchReader
{
    public static IAsyncEnumerable<RecordBatch> ReadAsync(Stream input, StructType schema, CancellationToken cancellationToken = default) =>
        ReadAsync(input, schema, ParquetFieldResolver.ByName, cancellationToken);

    internal static async IAsyncEnumerable<RecordBatch> ReadAsync(
        Stream input, StructType schema, ParquetFieldResolver resolver, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(input, ReaderOptions, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        resolver.CheckFile(reader.Schema);
        var arrowSchema = ArrowTypes.ToArrowSchema(schema);
        var fileFields = schema.Fields.Select(f => resolver.Find(f, reader.Schema.Fields)).ToList();

        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var rows = checked((int)rowGroup.RowCount);
            var leaves = new Dictionary<PqSchema.DataField, ParquetLeaf>();
            foreach (var leaf in fileFields.Where(f => f is not null).SelectMany(f => ColumnAssembler.LeavesOf(f!)))
            {
                leaves[leaf] = await ParquetLeafReader.ReadAsync(rowGroup, leaf, rows, cancellationToken).ConfigureAwait(false);
            }

            var assembler = new ColumnAssembler(leaves, resolver);
            var columns = new IArrowArray[schema.Count];
            for (var c = 0; c < schema.Count; c++)
            {
                if (fileFields[c] is not { } field)
                {
                    columns[c] = Columns.AllNull(schema[c].Type, rows);
                    continue;
                }

                var slots = ColumnAssembler.LeavesOf(field).ToDictionary(l => l, l => leaves[l].RowStarts());
                columns[c] = assembler.Assemble(schema[c].Type, field, slots);
            }

            yield return new RecordBatch(arrowSchema, columns, rows);
        }
    }

    /// <summary>The Spark schema of a Parquet file (its top-level columns).</summary>
    public static async Task<StructType> ReadSchemaAsync(Stream input, CancellationToken cancellationToken = default)
    {
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(input, ReaderOptions, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        return new StructType(reader.Schema.Fields.Select(f => new StructField(f.Name, ParquetSchemaMapping.FromField(f), f.IsNullable)));
    }

    private static readonly global::Parquet.ParquetOptions ReaderOptions = new() { UseDateOnlyTypeForDates = true, UseBigDecimal = true };
}
