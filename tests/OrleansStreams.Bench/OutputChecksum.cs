using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Bench;

/// <summary>
/// What an engine wrote, as DuckDB reads it (none of our readers): the row count, the offset range and an
/// order-free checksum — the sum of a hash of every column, the partition columns from the folder names —
/// so outputs written in any file layout and order compare equal exactly when they hold the same rows.
/// </summary>
internal sealed record OutputChecksum(long Rows, string Checksum, long MinOffset, long MaxOffset)
{
    /// <summary>Reads a Delta table (its live files, from DuckDB's replay of the log) or a folder of Parquet files.</summary>
    public static OutputChecksum Of(string format, string output)
    {
        var files = format == "delta"
            ? DuckDbDelta.LiveFiles(output).Select(f => Path.Combine(output, f)).ToList()
            : Directory.EnumerateFiles(output, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return new OutputChecksum(0, "0", 0, 0);
        }

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using (var zone = duck.CreateCommand())
        {
            zone.CommandText = "SET TimeZone = 'UTC'";
            zone.ExecuteNonQuery();
        }

        // Types made the same before hashing, so the check is about values, not how each writer typed them.
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT count(*), coalesce(sum(hash(key::BLOB, value::BLOB, topic::VARCHAR, "partition"::BIGINT, "offset"::BIGINT,
                                               epoch_us("timestamp"), year_month::VARCHAR)), 0)::VARCHAR,
                   coalesce(min("offset"), 0)::BIGINT, coalesce(max("offset"), 0)::BIGINT
            FROM read_parquet([{string.Join(", ", files.Select(DuckDbQuery.Quote))}], hive_partitioning = true,
                              hive_types = {"{"}'topic': 'VARCHAR', 'year_month': 'VARCHAR'{"}"})
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new OutputChecksum(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public JsonObject ToJson() => new() { ["rows"] = Rows, ["checksum"] = Checksum, ["minOffset"] = MinOffset, ["maxOffset"] = MaxOffset };
}
