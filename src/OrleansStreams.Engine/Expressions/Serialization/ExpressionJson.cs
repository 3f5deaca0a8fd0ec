using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Serialization;

/// <summary>
/// Unresolved expressions to and from JSON (plans travel between grains and into checkpoints).
/// Each node is an object with a <c>"kind"</c> discriminator; types are written as their
/// SimpleString; literal values in a form that round-trips exactly for their type.
/// </summary>
public static class ExpressionJson
{
    public static string Serialize(Expression expression) => Write(expression).ToJsonString();

    public static Expression Deserialize(string json) =>
        Read(JsonNode.Parse(json) ?? throw new JsonException("expression JSON is null"));

    public static JsonNode Write(Expression expression) => expression switch
    {
        ColumnRef c => Node("column", ("nameParts", Strings(c.NameParts))),
        Literal l => Node("literal", ("type", l.Type.SimpleString), ("value", WriteValue(l.Value, l.Type))),
        Star s => Node("star", ("qualifier", s.Qualifier)),
        BinaryExpression b => Node("binary", ("operator", b.Operator.ToString()), ("left", Write(b.Left)), ("right", Write(b.Right))),
        NotExpression n => Node("not", ("child", Write(n.Child))),
        NegateExpression n => Node("negate", ("child", Write(n.Child))),
        IsNullExpression n => Node("isNull", ("child", Write(n.Child)), ("negated", n.Negated)),
        InExpression i => Node("in", ("value", Write(i.Value)), ("list", List(i.List)), ("negated", i.Negated)),
        BetweenExpression b => Node("between", ("value", Write(b.Value)), ("low", Write(b.Low)), ("high", Write(b.High)), ("negated", b.Negated)),
        LikeExpression l => Node("like", ("value", Write(l.Value)), ("pattern", Write(l.Pattern)), ("likeKind", l.Kind.ToString()), ("negated", l.Negated)),
        CaseExpression c => Node(
            "case",
            ("operand", c.Operand is null ? null : Write(c.Operand)),
            ("branches", new JsonArray(c.Branches.Select(b => (JsonNode)new JsonObject { ["when"] = Write(b.Condition), ["then"] = Write(b.Result) }).ToArray())),
            ("else", c.Else is null ? null : Write(c.Else))),
        CastExpression c => Node("cast", ("child", Write(c.Child)), ("type", c.TargetType.SimpleString)),
        FunctionCall f => Node("function", ("name", f.Name), ("arguments", List(f.Arguments)), ("distinct", f.Distinct)),
        Alias a => Node("alias", ("child", Write(a.Child)), ("name", a.Name)),
        _ => throw new NotSupportedException($"cannot serialize expression {expression.GetType().Name}"),
    };

    public static Expression Read(JsonNode node)
    {
        var kind = Str(node, "kind");
        return kind switch
        {
            "column" => new ColumnRef(node["nameParts"]!.AsArray().Select(n => n!.GetValue<string>()).ToEquatableList()),
            "literal" => ReadLiteral(node),
            "star" => new Star(node["qualifier"]?.GetValue<string>()),
            "binary" => new BinaryExpression(Enum.Parse<BinaryOperator>(Str(node, "operator")), Child(node, "left"), Child(node, "right")),
            "not" => new NotExpression(Child(node, "child")),
            "negate" => new NegateExpression(Child(node, "child")),
            "isNull" => new IsNullExpression(Child(node, "child"), Bool(node, "negated")),
            "in" => new InExpression(Child(node, "value"), Children(node, "list"), Bool(node, "negated")),
            "between" => new BetweenExpression(Child(node, "value"), Child(node, "low"), Child(node, "high"), Bool(node, "negated")),
            "like" => new LikeExpression(Child(node, "value"), Child(node, "pattern"), Enum.Parse<LikeKind>(Str(node, "likeKind")), Bool(node, "negated")),
            "case" => new CaseExpression(
                node["operand"] is { } operand ? Read(operand) : null,
                node["branches"]!.AsArray().Select(b => new WhenClause(Child(b!, "when"), Child(b!, "then"))).ToEquatableList(),
                node["else"] is { } otherwise ? Read(otherwise) : null),
            "cast" => new CastExpression(Child(node, "child"), TypeNameReader.Parse(Str(node, "type"))),
            "function" => new FunctionCall(Str(node, "name"), Children(node, "arguments"), Bool(node, "distinct")),
            "alias" => new Alias(Child(node, "child"), Str(node, "name")),
            _ => throw new JsonException($"unknown expression kind '{kind}' in {node.ToJsonString()}"),
        };
    }

    private static Literal ReadLiteral(JsonNode node)
    {
        var type = TypeNameReader.Parse(Str(node, "type"));
        var v = node["value"];
        if (v is null)
        {
            return new Literal(null, type);
        }

        object value = type switch
        {
            BooleanType => v.GetValue<bool>(),
            ByteType => v.GetValue<sbyte>(),
            ShortType => v.GetValue<short>(),
            IntegerType or DateType => v.GetValue<int>(),
            LongType or TimestampType or TimestampNtzType => v.GetValue<long>(),
            FloatType => float.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture),
            DoubleType => double.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture),
            DecimalType => decimal.Parse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture),
            StringType => v.GetValue<string>(),
            BinaryType => Convert.FromBase64String(v.GetValue<string>()),
            _ => throw new JsonException($"literal of type {type.SimpleString} cannot be read"),
        };
        return new Literal(value, type);
    }

    private static JsonNode? WriteValue(object? value, DataType type) => value switch
    {
        null => null,
        float f => JsonValue.Create(f.ToString("R", CultureInfo.InvariantCulture)),
        double d => JsonValue.Create(d.ToString("R", CultureInfo.InvariantCulture)),
        decimal m => JsonValue.Create(m.ToString(CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        bool b => JsonValue.Create(b),
        sbyte or short or int or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        string s => JsonValue.Create(s),
        _ => throw new NotSupportedException($"cannot serialize a literal {value.GetType().Name} of type {type.SimpleString}"),
    };

    private static JsonObject Node(string kind, params (string Name, object? Value)[] properties)
    {
        var obj = new JsonObject { ["kind"] = kind };
        foreach (var (name, value) in properties)
        {
            obj[name] = value switch
            {
                null => null,
                JsonNode n => n,
                string s => JsonValue.Create(s),
                bool b => JsonValue.Create(b),
                _ => throw new NotSupportedException(name),
            };
        }

        return obj;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonArray List(IEnumerable<Expression> values) => new(values.Select(Write).ToArray());

    private static string Str(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new JsonException($"missing \"{name}\" in {node.ToJsonString()}");

    private static bool Bool(JsonNode node, string name) => node[name]?.GetValue<bool>() ?? false;

    private static Expression Child(JsonNode node, string name) =>
        Read(node[name] ?? throw new JsonException($"missing \"{name}\" in {node.ToJsonString()}"));

    private static EquatableList<Expression> Children(JsonNode node, string name) =>
        (node[name]?.AsArray() ?? throw new JsonException($"missing \"{name}\" in {node.ToJsonString()}")).Select(n => Read(n!)).ToEquatableList();
}
