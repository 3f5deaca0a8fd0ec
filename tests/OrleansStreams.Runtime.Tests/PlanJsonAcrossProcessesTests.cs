using System.Text.Json.Nodes;
using OrleansStreams.CrossProcess.TestHost;
using OrleansStreams.Engine.Plans;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A plan's JSON travels to the silo that runs it and is kept in the checkpoint (the query grain compares it with the
/// plan of a restart); its schema names the Delta table's columns; its values land in tables and partition folders.
/// This process (invariant culture, as the CLI and the silo host run) and another under a culture with a decimal comma,
/// Turkish casing or a Unicode minus sign must make the same text of each, and read each other's plans back.
/// </summary>
public sealed class PlanJsonAcrossProcessesTests : IDisposable
{
    private static readonly string[] Queries =
    [
        "SELECT * FROM t",
        "SELECT x * -5L, n + -7L, 1.5D * x, -0.25 + m, 1e-7 * x, upper(s), lower(s) FROM t",
        "SELECT CAST(x AS STRING) AS xs, CAST(m AS STRING) AS ms, CAST(d AS STRING) AS ds, CAST(ts AS STRING) AS tss, CAST(n AS STRING) AS ns, concat(s, x, m) AS joined FROM t",
        "SELECT date_format(ts, 'yyyy-MM') AS year_month, date_format(ts, 'EEE, d MMM yyyy HH:mm:ss.SSS') AS long_form, to_date('29.02.2024', 'dd.MM.yyyy') AS parsed, CAST('-1.5E3' AS DOUBLE) AS from_text, CAST('2024-02-29 13:45:06.5' AS TIMESTAMP) AS ts_text FROM t",
        "SELECT s, count(*) AS c, sum(x) AS total, avg(m) AS mean, hash(s, x) AS h, round(x, 2) AS r FROM t WHERE x < -1.5E3 AND m BETWEEN -20000.5 AND 0 GROUP BY s, x",
    ];

    private readonly TempDirectory temp = new("plan-json");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("sv-SE")]
    public async Task Another_process_under_another_culture_makes_the_same_plan_schema_and_values_and_reads_our_plansAsync(string culture)
    {
        var ours = await DescribeAsync(Queries.Select(q => new JsonObject { ["sql"] = q }));
        var input = temp.Combine("queries.json");
        await File.WriteAllTextAsync(input, new JsonArray([.. ours.Select(o => (JsonNode)new JsonObject { ["sql"] = o["sql"]!.DeepClone(), ["plan"] = o["plan"]!.DeepClone() })]).ToJsonString());

        var theirs = JsonNode.Parse(await CrossProcessHost.RunAsync(culture, "plans", input))!.AsArray();

        Assert.Equal(ours.Count, theirs.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            var (mine, other, sql) = (ours[i], theirs[i]!, Queries[i]);
            Assert.True(Text(mine, "plan") == Text(other, "plan"), $"{culture}: the plan JSON of {sql} differs:\nhere:  {Text(mine, "plan")}\nthere: {Text(other, "plan")}");
            Assert.True(Text(mine, "schema") == Text(other, "schema"), $"{culture}: the schema of {sql} differs:\nhere:  {Text(mine, "schema")}\nthere: {Text(other, "schema")}");
            Assert.True(mine["values"]!.ToJsonString() == other["values"]!.ToJsonString(), $"{culture}: the values of {sql} differ:\nhere:  {mine["values"]!.ToJsonString()}\nthere: {other["values"]!.ToJsonString()}");
            Assert.True(other["readBackEqual"]!.GetValue<bool>(), $"{culture}: our plan of {sql}, read there, is not the plan it makes itself");
            Assert.Equal(Text(mine, "plan"), Text(other, "readBack"));
            Assert.Equal(Text(mine, "plan"), PlanJson.Serialize(PlanJson.Deserialize(Text(other, "plan")))); // and its plan read here
        }
    }

    private static async Task<List<JsonNode>> DescribeAsync(IEnumerable<JsonObject> queries) =>
        [.. JsonNode.Parse(await PlanTexts.DescribeAsync(new JsonArray([.. queries]).ToJsonString()))!.AsArray().Select(n => n!)];

    private static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();
}
