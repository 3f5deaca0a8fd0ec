using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Puts a batch into the table's column order: columns are matched by name (case-insensitively, as in
/// Spark) and columns the data lacks become NULL. The schema check itself is <see cref="SchemaMerger"/>'s.
/// </summary>
internal static class TableSchemaAligner
{
    public static RecordBatch Align(RecordBatch batch, StructType dataSchema, StructType tableSchema, string table)
    {
        var columns = new IArrowArray[tableSchema.Count];
        for (var i = 0; i < tableSchema.Count; i++)
        {
            var field = tableSchema[i];
            var source = dataSchema.IndexOf(field.Name);
            if (source < 0)
            {
                columns[i] = Columns.AllNull(field.Type, batch.Length);
                continue;
            }

            var column = batch.Column(source);
            if (!ArrowTypes.ToArrow(field.Type).Equals(column.Data.DataType) && !SameLayout(field.Type, dataSchema[source].Type))
            {
                throw new NotSupportedException(
                    $"Writing column {StructType.QuoteIdentifier(field.Name)} of type {dataSchema[source].Type.SimpleString} into {table}, " +
                    $"where it is {field.Type.SimpleString}, needs nested schema evolution, which is not supported");
            }

            columns[i] = column;
        }

        return new RecordBatch(ArrowTypes.ToArrowSchema(tableSchema), columns, batch.Length);
    }

    // Arrow field names and nullability inside nested types may differ while the data is the same.
    private static bool SameLayout(DataType table, DataType data) => table.SimpleString == data.SimpleString;
}
