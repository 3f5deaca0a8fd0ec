using System.Globalization;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.DataFrames;

/// <summary>
/// PySpark's <c>pyspark.sql.functions</c> with .NET names, so <c>F.date_format("timestamp", "yyyy-MM")</c>
/// reads <c>DateFormat("timestamp", "yyyy-MM")</c>. Each builds the same unresolved call the SQL
/// parser builds for the Spark name, so both forms give equal plans. A string where a column
/// is expected names a column, as in PySpark.
/// </summary>
public static partial class Functions
{
    public static Column Col(string name) => name == "*" ? new(new Star()) : new(ColumnRefParser.Parse(name));

    public static Column Column(string name) => Col(name);

    public static Column Lit(object? value) => new(ToLiteral(value));

    /// <summary>A SQL expression string (<c>Expr("count(*) AS n")</c>).</summary>
    public static Column Expr(string sql) => new(Sql.SqlParser.ParseExpression(sql));

    public static Column When(Column condition, object value) =>
        new(new CaseExpression(null, EquatableList.Of(new WhenClause(condition.Expression, ToExpression(value))), null));

    public static Column Coalesce(params Column[] columns) => Call("coalesce", columns);

    public static Column NullIf(Column left, Column right) => Call("nullif", left, right);

    public static Column Greatest(params Column[] columns) => Call("greatest", columns);

    public static Column Least(params Column[] columns) => Call("least", columns);

    public static Column Struct(params Column[] columns) => Call("struct", columns);

    // Datetime
    public static Column DateFormat(Column timestamp, string format) => Call("date_format", timestamp, Lit(format));

    public static Column FromUnixTime(Column seconds, string format = "yyyy-MM-dd HH:mm:ss") => Call("from_unixtime", seconds, Lit(format));

    public static Column UnixTimestamp() => Call("unix_timestamp");

    public static Column UnixTimestamp(Column value, string format = "yyyy-MM-dd HH:mm:ss") => Call("unix_timestamp", value, Lit(format));

    public static Column ToDate(Column value) => Call("to_date", value);

    public static Column ToDate(Column value, string format) => Call("to_date", value, Lit(format));

    public static Column ToTimestamp(Column value) => Call("to_timestamp", value);

    public static Column ToTimestamp(Column value, string format) => Call("to_timestamp", value, Lit(format));

    public static Column CurrentTimestamp() => Call("current_timestamp");

    public static Column CurrentDate() => Call("current_date");

    public static Column Year(Column value) => Call("year", value);

    public static Column Month(Column value) => Call("month", value);

    public static Column DayOfMonth(Column value) => Call("dayofmonth", value);

    public static Column Hour(Column value) => Call("hour", value);

    public static Column Minute(Column value) => Call("minute", value);

    public static Column Second(Column value) => Call("second", value);

    public static Column DateTrunc(string unit, Column timestamp) => Call("date_trunc", Lit(unit), timestamp);

    public static Column DateAdd(Column date, int days) => Call("date_add", date, Lit(days));

    public static Column DateDiff(Column end, Column start) => Call("datediff", end, start);

    /// <summary>Tumbling or sliding event-time windows for <c>GroupBy</c>.</summary>
    public static Column Window(Column timeColumn, string windowDuration, string? slideDuration = null) =>
        slideDuration is null
            ? Call("window", timeColumn, Lit(windowDuration))
            : Call("window", timeColumn, Lit(windowDuration), Lit(slideDuration));

    // Strings
    public static Column Upper(Column value) => Call("upper", value);

    public static Column Lower(Column value) => Call("lower", value);

    public static Column Trim(Column value) => Call("trim", value);

    public static Column LTrim(Column value) => Call("ltrim", value);

    public static Column RTrim(Column value) => Call("rtrim", value);

    public static Column DateSub(Column date, int days) => Call("date_sub", date, Lit(days));

    public static Column Length(Column value) => Call("length", value);

    /// <summary>Characters from 1-based <paramref name="position"/> (negative counts from the end).</summary>
    public static Column Substring(Column value, int position, int length) => Call("substring", value, Lit(position), Lit(length));

    public static Column Concat(params Column[] columns) => Call("concat", columns);

    public static Column ConcatWs(string separator, params Column[] columns) => Call("concat_ws", columns.Prepend(Lit(separator)).ToArray());

    public static Column Split(Column value, string pattern) => Call("split", value, Lit(pattern));

    public static Column RegexpExtract(Column value, string pattern, int group) => Call("regexp_extract", value, Lit(pattern), Lit(group));

    public static Column RegexpReplace(Column value, string pattern, string replacement) => Call("regexp_replace", value, Lit(pattern), Lit(replacement));

    // JSON and collections
    /// <summary>Parses a JSON string column with a DDL schema (<c>"title STRING, price DOUBLE"</c>).</summary>
    public static Column FromJson(Column json, string schemaDdl) => Call("from_json", json, Lit(schemaDdl));

    public static Column GetJsonObject(Column json, string path) => Call("get_json_object", json, Lit(path));

    public static Column ToJson(Column value) => Call("to_json", value);

    public static Column ElementAt(Column collection, object indexOrKey) => Call("element_at", collection, new Column(ToExpression(indexOrKey)));

    public static Column Size(Column collection) => Call("size", collection);

    public static Column Explode(Column collection) => Call("explode", collection);

    // Hashes and math
    public static Column Sha2(Column value, int numBits) => Call("sha2", value, Lit(numBits));

    public static Column Md5(Column value) => Call("md5", value);

    public static Column Hash(params Column[] columns) => Call("hash", columns);

    public static Column Abs(Column value) => Call("abs", value);

    public static Column Round(Column value, int scale = 0) => Call("round", value, Lit(scale));

    public static Column Floor(Column value) => Call("floor", value);

    public static Column Ceil(Column value) => Call("ceil", value);

    // Aggregates
    public static Column Count(Column value) => Call("count", value);

    public static Column CountDistinct(Column value, params Column[] more) =>
        new(new FunctionCall("count", more.Prepend(value).Select(c => c.Expression).ToEquatableList(), Distinct: true));

    public static Column Sum(Column value) => Call("sum", value);

    public static Column Avg(Column value) => Call("avg", value);

    public static Column Mean(Column value) => Call("avg", value);

    public static Column Min(Column value) => Call("min", value);

    public static Column Max(Column value) => Call("max", value);

    public static Column First(Column value) => Call("first", value);

    public static Column Last(Column value) => Call("last", value);

    public static Column CollectList(Column value) => Call("collect_list", value);

    public static Column CollectSet(Column value) => Call("collect_set", value);

    public static Column ApproxCountDistinct(Column value) => Call("approx_count_distinct", value);

    /// <summary>The expression of a value given where a column or literal is expected.</summary>
    internal static Expression ToExpression(object? value) => value switch
    {
        Column c => c.Expression,
        Expression e => e,
        _ => ToLiteral(value),
    };

    /// <summary>A C# value as a Spark literal, in the engine's scalar form (see <see cref="Literal"/>).</summary>
    public static Literal ToLiteral(object? value) => value switch
    {
        null => Literal.Null(),
        Literal l => l,
        bool b => new(b, BooleanType.Instance),
        sbyte b => new(b, ByteType.Instance),
        short s => new(s, ShortType.Instance),
        int i => new(i, IntegerType.Instance),
        long l => new(l, LongType.Instance),
        float f => new(f, FloatType.Instance),
        double d => new(d, DoubleType.Instance),
        decimal m => new(m, DecimalTypeOf(m)),
        string s => new(s, StringType.Instance),
        byte[] bytes => new(bytes, BinaryType.Instance),
        DateOnly d => new(d.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber, DateType.Instance),
        DateTimeOffset t => new((t.UtcTicks - DateTime.UnixEpoch.Ticks) / 10, TimestampType.Instance),
        DateTime t => new((t.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10, TimestampType.Instance),
        _ => throw new ArgumentException($"Unsupported literal type {value.GetType().Name} for value {Convert.ToString(value, CultureInfo.InvariantCulture)}", nameof(value)),
    };

    private static DecimalType DecimalTypeOf(decimal value)
    {
        int scale = value.Scale;
        var digits = decimal.Truncate(Math.Abs(value)).ToString(CultureInfo.InvariantCulture).TrimStart('0').Length;
        return new DecimalType(Math.Max(digits + scale, Math.Max(scale, 1)), scale);
    }

    private static Column Call(string name, params Column[] args) =>
        new(new FunctionCall(name, args.Select(a => a.Expression).ToEquatableList()));
}
