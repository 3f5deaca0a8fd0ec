using System.Text.Json.Nodes;

namespace OrleansStreams.TestSupport;

/// <summary>
/// Runs a query in DuckDB alone (in memory, UTC) and gives its rows as <c>to_json</c> renders them: an independent
/// reading of files we write or read, e.g. <c>read_json</c> over the JSON-lines files a pipeline ingests.
/// </summary>
public static class DuckDbQuery
{
    public static List<JsonObject> Rows(string sql)
    {
        using var connection = DuckDbDelta.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT to_json(q)::VARCHAR FROM ({sql}) q";
        using var reader = command.ExecuteReader();
        var rows = new List<JsonObject>();
        while (reader.Read())
        {
            rows.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        }

        return rows;
    }

    /// <summary>A string literal of DuckDB SQL.</summary>
    public static string Quote(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
}
