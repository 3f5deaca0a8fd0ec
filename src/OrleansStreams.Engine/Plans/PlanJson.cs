using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Serialization;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Plans;

/// <summary>
/// Logical plans to and from JSON: how a query's plan travels to the grains that run it and is kept
/// in its checkpoint. Each node is an object with a <c>"node"</c> discriminator; expressions use
/// <see cref="ExpressionJson"/> and schemas Delta's schema JSON.
/// </summary>
public static class PlanJson
{
    public static string Serialize(LogicalPlan plan) => Write(plan).ToJsonString();

    public static LogicalPlan Deserialize(string json) => Read(JsonNode.Parse(json) ?? throw new JsonException("plan JSON is null"));

    public static JsonNode Write(LogicalPlan plan) => plan switch
    {
        DataSourceRelation s => Node("source", ("format", s.Format), ("path", s.Path), ("options", Map(s.Options)),
            ("schema", s.UserSchema is null ? null : JsonNode.Parse(SchemaJson.Serialize(s.UserSchema))), ("streaming", s.Streaming)),
        TableRelation t => Node("table", ("name", t.Name), ("streaming", t.Streaming), ("version", t.AsOf?.Version), ("timestamp", t.AsOf?.Timestamp)),
        OneRowRelation => Node("oneRow"),
        Project p => Node("project", ("list", Expressions(p.ProjectList)), ("child", Write(p.Child))),
        Filter f => Node("filter", ("condition", ExpressionJson.Write(f.Condition)), ("child", Write(f.Child))),
        Aggregate a => Node("aggregate", ("grouping", Expressions(a.Grouping)), ("aggregates", Expressions(a.Aggregates)), ("child", Write(a.Child))),
        WithWatermark w => Node("watermark", ("eventTime", w.EventTimeColumn), ("delay", w.Delay), ("child", Write(w.Child))),
        Deduplicate d => Node("deduplicate", ("columns", Strings(d.Columns)), ("child", Write(d.Child))),
        Distinct d => Node("distinct", ("child", Write(d.Child))),
        Union u => Node("union", ("left", Write(u.Left)), ("right", Write(u.Right))),
        Join j => Node("join", ("left", Write(j.Left)), ("right", Write(j.Right)), ("type", j.Type.ToString()),
            ("condition", j.Condition is null ? null : ExpressionJson.Write(j.Condition)), ("using", Strings(j.UsingColumns))),
        Sort s => Node("sort", ("order", new JsonArray(s.Order.Select(o => (JsonNode)new JsonObject
        {
            ["expression"] = ExpressionJson.Write(o.Expression),
            ["ascending"] = o.Ascending,
            ["nullsFirst"] = o.NullsFirst,
        }).ToArray())), ("child", Write(s.Child))),
        Limit l => Node("limit", ("count", l.Count), ("child", Write(l.Child))),
        SubqueryAlias s => Node("alias", ("alias", s.Alias), ("child", Write(s.Child))),
        WithColumns w => Node("withColumns", ("names", Strings(w.Names)), ("values", Expressions(w.Values)), ("child", Write(w.Child))),
        RenameColumn r => Node("rename", ("existing", r.Existing), ("newName", r.NewName), ("child", Write(r.Child))),
        DropColumns d => Node("drop", ("names", Strings(d.Names)), ("child", Write(d.Child))),
        _ => throw new NotSupportedException($"serializing plan node {plan.GetType().Name}"),
    };

    public static LogicalPlan Read(JsonNode node)
    {
        var kind = node["node"]?.GetValue<string>() ?? throw new JsonException("plan node without \"node\"");
        LogicalPlan Child(string name = "child") => Read(node[name]!);
        EquatableList<Expression> Exprs(string name) => node[name]!.AsArray().Select(e => ExpressionJson.Read(e!)).ToEquatableList();
        EquatableList<string> Strs(string name) => node[name]!.AsArray().Select(e => e!.GetValue<string>()).ToEquatableList();
        string Str(string name) => node[name]!.GetValue<string>();

        return kind switch
        {
            "source" => new DataSourceRelation(Str("format"), Str("path"),
                new EquatableDictionary(node["options"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>()))),
                node["schema"] is { } schema ? SchemaJson.Parse(schema.ToJsonString()) : null, node["streaming"]!.GetValue<bool>()),
            "table" => new TableRelation(Str("name"), node["streaming"]!.GetValue<bool>(),
                node["version"] is null && node["timestamp"] is null ? null : new TimeTravel(node["version"]?.GetValue<long>(), node["timestamp"]?.GetValue<string>())),
            "oneRow" => OneRowRelation.Instance,
            "project" => new Project(Exprs("list"), Child()),
            "filter" => new Filter(ExpressionJson.Read(node["condition"]!), Child()),
            "aggregate" => new Aggregate(Exprs("grouping"), Exprs("aggregates"), Child()),
            "watermark" => new WithWatermark(Str("eventTime"), Str("delay"), Child()),
            "deduplicate" => new Deduplicate(Strs("columns"), Child()),
            "distinct" => new Distinct(Child()),
            "union" => new Union(Child("left"), Child("right")),
            "join" => new Join(Child("left"), Child("right"), Enum.Parse<JoinType>(Str("type")),
                node["condition"] is { } condition ? ExpressionJson.Read(condition) : null, Strs("using")),
            "sort" => new Sort(node["order"]!.AsArray().Select(o => new SortOrder(
                ExpressionJson.Read(o!["expression"]!), o["ascending"]!.GetValue<bool>(), o["nullsFirst"]?.GetValue<bool>())).ToEquatableList(), Child()),
            "limit" => new Limit(node["count"]!.GetValue<int>(), Child()),
            "alias" => new SubqueryAlias(Str("alias"), Child()),
            "withColumns" => new WithColumns(Strs("names"), Exprs("values"), Child()),
            "rename" => new RenameColumn(Str("existing"), Str("newName"), Child()),
            "drop" => new DropColumns(Strs("names"), Child()),
            _ => throw new JsonException($"unknown plan node \"{kind}\""),
        };
    }

    private static JsonObject Node(string kind, params (string Name, JsonNode? Value)[] fields)
    {
        var node = new JsonObject { ["node"] = kind };
        foreach (var (name, value) in fields)
        {
            node[name] = value;
        }

        return node;
    }

    private static JsonArray Expressions(IEnumerable<Expression> list) => new(list.Select(ExpressionJson.Write).ToArray());

    private static JsonArray Strings(IEnumerable<string> list) => new(list.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());

    private static JsonObject Map(IReadOnlyDictionary<string, string> map) => new(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
}
