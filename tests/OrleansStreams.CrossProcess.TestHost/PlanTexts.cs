using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.CrossProcess.TestHost;

/// <summary>
/// What a process makes of SQL queries over one fixed row (the temp view <c>t</c>): each query's plan JSON, the
/// schema JSON of its analysis (unaliased columns are named after their expression's text), and its result as the
/// engine's <c>to_json</c> renders it. A plan JSON another process wrote is read back too: it must equal this
/// process's plan of the same query and serialize to the same text. Every value that reaches a checkpoint, a
/// grain or a Delta table comes out of one of these.
/// </summary>
public static class PlanTexts
{
    /// <summary>The row every query reads: values whose text depends on a culture if anything formats them with one.</summary>
    public const string View = """
        CREATE OR REPLACE TEMP VIEW t AS SELECT
          CAST(-1234.5678 AS DOUBLE) AS x, -42L AS n, CAST(-12345.678 AS DECIMAL(10,3)) AS m,
          DATE '2024-02-29' AS d, TIMESTAMP '2024-02-29 13:45:06.123456' AS ts, 'Iı İi ß' AS s
        """;

    /// <param name="queriesJson">A JSON array of <c>{"sql": …}</c>, each with the <c>"plan"</c> another process made of it, if any.</param>
    /// <returns>A JSON array of <c>{"sql", "plan", "schema", "values", "readBack", "readBackEqual"}</c>.</returns>
    public static async Task<string> DescribeAsync(string queriesJson)
    {
        var session = new QuerySession(NoTables.Instance);
        session.Sql(View);
        var described = new JsonArray();
        foreach (var query in JsonNode.Parse(queriesJson)!.AsArray())
        {
            var sql = query!["sql"]!.GetValue<string>();
            var frame = session.Sql(sql)!;
            var row = Struct([.. frame.Columns.Select(c => Col(StructType.QuoteIdentifier(c)))]);
            var rows = await session.CollectAsync(frame.Select(ToJson(row)));
            var values = new JsonArray();
            foreach (var batch in rows)
            {
                var column = (Apache.Arrow.StringArray)batch.Column(0);
                for (var i = 0; i < batch.Length; i++)
                {
                    values.Add(column.GetString(i));
                }
            }

            var entry = new JsonObject
            {
                ["sql"] = sql,
                ["plan"] = PlanJson.Serialize(frame.Plan),
                ["schema"] = SchemaJson.Serialize(frame.Schema),
                ["values"] = values,
            };
            if (query["plan"]?.GetValue<string>() is { } written)
            {
                var read = PlanJson.Deserialize(written);
                entry["readBack"] = PlanJson.Serialize(read);
                entry["readBackEqual"] = read.Equals(frame.Plan);
            }

            described.Add(entry);
        }

        return described.ToJsonString(Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
