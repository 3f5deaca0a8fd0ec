using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using OrleansStreams.Engine.Types;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Bench;

/// <summary>
/// A written file as DuckDB reads it: row count, an order-free checksum over every column (each made one type first,
/// so it checks values, not how a writer typed them), and from its footer the row groups, codecs, encodings and which
/// columns carry min/max statistics.
/// </summary>
internal static class ParquetReadBack
{
    public static JsonObject Of(string path, StructType schema)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        var file = DuckDbQuery.Quote(path);
        var result = new JsonObject { ["fileBytes"] = new FileInfo(path).Length };
        Query(duck, $"SELECT count(*), coalesce(sum(hash({string.Join(", ", schema.Fields.Select(Canonical))})), 0)::VARCHAR FROM read_parquet({file})", reader =>
        {
            result["rows"] = reader.GetInt64(0);
            result["checksum"] = reader.GetString(1);
        });
        Query(duck, $"""
            SELECT count(DISTINCT row_group_id), string_agg(DISTINCT compression, ','), string_agg(DISTINCT encodings, ' | '),
                   coalesce(string_agg(DISTINCT path_in_schema, ',' ORDER BY path_in_schema) FILTER (WHERE stats_min_value IS NOT NULL), '')
            FROM parquet_metadata({file})
            """, reader =>
        {
            result["rowGroups"] = reader.GetInt64(0);
            result["compression"] = reader.GetString(1);
            result["encodings"] = reader.GetString(2);
            result["minMaxColumns"] = reader.GetString(3);
        });
        return result;
    }

    private static void Query(DuckDBConnection duck, string sql, Action<System.Data.Common.DbDataReader> read)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        read(reader);
    }

    private static string Canonical(StructField field)
    {
        var column = $"\"{field.Name}\"";
        return field.Type switch
        {
            TimestampType or TimestampNtzType => $"epoch_us({column})",
            BinaryType => $"{column}::BLOB",
            StringType => $"{column}::VARCHAR",
            DecimalType d => $"{column}::DECIMAL(38, {d.Scale})",
            DateType => $"{column}::DATE",
            FloatType => $"{column}::FLOAT",
            DoubleType => $"{column}::DOUBLE",
            BooleanType => $"{column}::BOOLEAN",
            _ => $"{column}::BIGINT",
        };
    }
}
