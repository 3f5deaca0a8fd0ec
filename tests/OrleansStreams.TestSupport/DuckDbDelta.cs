using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace OrleansStreams.TestSupport;

/// <summary>
/// Reads a Delta table with DuckDB alone, as an independent check of our writer: DuckDB replays the
/// JSON commits (and a parquet checkpoint if there is one) to find the live files, then reads them
/// with <c>read_parquet</c> and Hive partitioning. Nothing of our own reader is used.
/// </summary>
public static class DuckDbDelta
{
    /// <summary>The live data files at <paramref name="version"/> (latest when null), decoded and relative to the table folder, by DuckDB's replay of the log.</summary>
    public static List<string> LiveFiles(string tableFolder, long? version = null)
    {
        using var connection = Open();
        return LiveFiles(connection, tableFolder, version);
    }

    /// <summary>
    /// Every row of the table as DuckDB's <c>to_json</c> renders it. <paramref name="partitionTypes"/>
    /// gives DuckDB the partition columns' types (Delta keeps them in the log, not in the files).
    /// </summary>
    public static List<JsonNode?> ReadRows(string tableFolder, IReadOnlyDictionary<string, string>? partitionTypes = null)
    {
        using var connection = Open();
        var files = LiveFiles(connection, tableFolder);
        if (files.Count == 0)
        {
            return [];
        }

        var list = string.Join(", ", files.Select(f => DuckDbQuery.Quote(Path.Combine(tableFolder, f))));
        var hiveTypes = partitionTypes is { Count: > 0 }
            ? $", hive_types = {{{string.Join(", ", partitionTypes.Select(p => $"{DuckDbQuery.Quote(p.Key)}: {DuckDbQuery.Quote(p.Value)}"))}}}"
            : string.Empty;
        var sql = $"SELECT to_json(t)::VARCHAR FROM read_parquet([{list}], hive_partitioning = {(partitionTypes is { Count: > 0 } ? "true" : "false")}, union_by_name = true{hiveTypes}) t";
        var rows = new List<JsonNode?>();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }

    /// <summary>
    /// A <c>read_parquet</c> of the table's live files (found by DuckDB's replay of the log), to use as a relation in
    /// <see cref="DuckDbQuery.Rows"/>: <c>$"SELECT k, n FROM {DuckDbDelta.Scan(folder)}"</c>. The table must have files.
    /// </summary>
    public static string Scan(string tableFolder, long? version = null)
    {
        var files = LiveFiles(tableFolder, version);
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"the Delta table {tableFolder} has no live files");
        }

        return $"read_parquet([{string.Join(", ", files.Select(f => DuckDbQuery.Quote(Path.Combine(tableFolder, f))))}], union_by_name = true)";
    }

    /// <summary>
    /// Row count, distinct values and sum of a whole-number column over the table's live files, as DuckDB reads them: the
    /// check that rows numbered 0 … n − 1 all landed once (n, n and n(n − 1)/2).
    /// </summary>
    public static (long Rows, long Distinct, long Sum) Totals(string tableFolder, string column, long? version = null)
    {
        var quoted = $"\"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var totals = DuckDbQuery.Rows($"SELECT count(*) AS n, count(DISTINCT {quoted}) AS d, sum({quoted}) AS s FROM {Scan(tableFolder, version)}").Single();
        return (totals["n"]!.GetValue<long>(), totals["d"]!.GetValue<long>(), long.Parse(totals["s"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }

    internal static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        command.ExecuteNonQuery();
        return connection;
    }

    private static List<string> LiveFiles(DuckDBConnection connection, string tableFolder, long? version = null)
    {
        var log = Path.Combine(tableFolder, "_delta_log");
        var lastCheckpoint = Directory.GetFiles(log, "*.checkpoint.parquet").Where(f => AtOrBefore(f, version)).Order(StringComparer.Ordinal).LastOrDefault();
        var checkpointVersion = lastCheckpoint is null ? -1 : long.Parse(Path.GetFileName(lastCheckpoint)[..20], System.Globalization.CultureInfo.InvariantCulture);

        // One row per add/remove: (version, order within the commit, path, is_add). The last action on a path wins.
        var sources = new List<string>();
        if (lastCheckpoint is not null)
        {
            sources.Add($"""
                SELECT {checkpointVersion} AS v, 0 AS n, coalesce(add.path, remove.path) AS path, add.path IS NOT NULL AS is_add
                FROM read_parquet({DuckDbQuery.Quote(lastCheckpoint)}) WHERE add.path IS NOT NULL OR remove.path IS NOT NULL
                """);
        }

        var commits = Directory.GetFiles(log, "*.json")
            .Where(f => long.Parse(Path.GetFileName(f)[..20], System.Globalization.CultureInfo.InvariantCulture) > checkpointVersion && AtOrBefore(f, version))
            .ToList();
        if (commits.Count > 0)
        {
            sources.Add($"""
                SELECT CAST(regexp_extract(filename, {DuckDbQuery.Quote(CommitVersionPattern)}, 1) AS BIGINT) AS v, n,
                       coalesce(json_extract_string(line, '$.add.path'), json_extract_string(line, '$.remove.path')) AS path,
                       json_extract_string(line, '$.add.path') IS NOT NULL AS is_add
                FROM (SELECT filename, row_number() OVER () AS n, content AS line
                      FROM (SELECT filename, unnest(string_split(content, chr(10))) AS content FROM read_text([{string.Join(", ", commits.Select(DuckDbQuery.Quote))}])))
                WHERE json_valid(line) AND (json_extract(line, '$.add') IS NOT NULL OR json_extract(line, '$.remove') IS NOT NULL)
                """);
        }

        var sql = $"""
            SELECT url_decode(path) FROM (
              SELECT path, is_add, row_number() OVER (PARTITION BY url_decode(path) ORDER BY v DESC, n DESC) AS latest
              FROM ({string.Join(" UNION ALL ", sources)}))
            WHERE latest = 1 AND is_add ORDER BY 1
            """;
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var files = new List<string>();
        while (reader.Read())
        {
            files.Add(reader.GetString(0));
        }

        return files;
    }

    private static bool AtOrBefore(string logFile, long? version) =>
        version is null || long.Parse(Path.GetFileName(logFile)[..20], System.Globalization.CultureInfo.InvariantCulture) <= version;

    private const string CommitVersionPattern = @"(\d{20})\.json$";
}
