using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.DataFrames;

/// <summary>
/// A DataFrame with PySpark's method names: each call returns a new DataFrame over a larger
/// unresolved plan. Like Spark, a DataFrame is lazy; <see cref="Schema"/> asks the session to
/// analyze the plan, which is where unknown columns and type errors surface.
/// </summary>
public class DataFrame
{
    public DataFrame(LogicalPlan plan, IDataFrameSession session)
    {
        Plan = plan;
        Session = session;
    }

    public LogicalPlan Plan { get; }

    public IDataFrameSession Session { get; }

    public bool IsStreaming => Plan.IsStreaming;

    public StructType Schema => Session.ResolveSchema(Plan);

    public IReadOnlyList<string> Columns => Schema.FieldNames.ToList();

    public DataFrame Select(params Column[] columns) => With(new Project(Expressions(columns), Plan));

    public DataFrame Select(params string[] columns) => Select(columns.Select(Functions.Col).ToArray());

    public DataFrame SelectExpr(params string[] expressions) => Select(expressions.Select(Functions.Expr).ToArray());

    public DataFrame WithColumn(string name, Column value) =>
        With(new WithColumns(EquatableList.Of(name), EquatableList.Of(value.Expression), Plan));

    public DataFrame WithColumns(IReadOnlyDictionary<string, Column> columns) =>
        With(new WithColumns(columns.Keys.ToEquatableList(), columns.Values.Select(c => c.Expression).ToEquatableList(), Plan));

    public DataFrame WithColumnRenamed(string existing, string newName) => With(new RenameColumn(existing, newName, Plan));

    public DataFrame Drop(params string[] columns) => With(new DropColumns(columns.ToEquatableList(), Plan));

    public DataFrame Filter(Column condition) => With(new Filter(condition.Expression, Plan));

    public DataFrame Filter(string condition) => Filter(Functions.Expr(condition));

    public DataFrame Where(Column condition) => Filter(condition);

    public DataFrame Where(string condition) => Filter(condition);

    public GroupedData GroupBy(params Column[] columns) => new(this, columns);

    public GroupedData GroupBy(params string[] columns) => new(this, columns.Select(Functions.Col).ToArray());

    public DataFrame Agg(params Column[] aggregates) => GroupBy(Array.Empty<Column>()).Agg(aggregates);

    public DataFrame WithWatermark(string eventTime, string delayThreshold) => With(new WithWatermark(eventTime, delayThreshold, Plan));

    public DataFrame DropDuplicates(params string[] columns) => With(new Deduplicate(columns.ToEquatableList(), Plan));

    public DataFrame Distinct() => With(new Distinct(Plan));

    public DataFrame Union(DataFrame other) => With(new Union(Plan, other.Plan));

    public DataFrame UnionAll(DataFrame other) => Union(other);

    public DataFrame Join(DataFrame right, Column on, string how = "inner") =>
        With(new Join(Plan, right.Plan, ParseJoinType(how), on.Expression, EquatableList<string>.Empty));

    public DataFrame Join(DataFrame right, string usingColumn, string how = "inner") => Join(right, new[] { usingColumn }, how);

    public DataFrame Join(DataFrame right, IEnumerable<string> usingColumns, string how = "inner") =>
        With(new Join(Plan, right.Plan, ParseJoinType(how), null, usingColumns.ToEquatableList()));

    public DataFrame OrderBy(params Column[] columns) => Sort(columns);

    public DataFrame OrderBy(params SortOrder[] order) => With(new Sort(order.ToEquatableList(), Plan));

    public DataFrame Sort(params Column[] columns) => OrderBy(columns.Select(c => c.Asc()).ToArray());

    public DataFrame Limit(int count) => With(new Limit(count, Plan));

    public DataFrame Alias(string alias) => With(new SubqueryAlias(alias, Plan));

    public void CreateOrReplaceTempView(string name) => Session.CreateOrReplaceTempView(name, Plan);

    /// <summary>A column of this DataFrame (<c>df["author"]</c>).</summary>
    public Column this[string column] => Functions.Col(column);

    protected virtual DataFrame With(LogicalPlan plan) => new(plan, Session);

    private static EquatableList<Expression> Expressions(IEnumerable<Column> columns) => columns.Select(c => c.Expression).ToEquatableList();

    /// <summary>Spark's join type names (<c>inner</c>, <c>left</c>, <c>left_outer</c>, <c>full</c>, <c>left_anti</c>, …).</summary>
    public static JoinType ParseJoinType(string how) => how.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "inner" => JoinType.Inner,
        "left" or "leftouter" => JoinType.LeftOuter,
        "right" or "rightouter" => JoinType.RightOuter,
        "full" or "outer" or "fullouter" => JoinType.FullOuter,
        "cross" => JoinType.Cross,
        "semi" or "leftsemi" => JoinType.LeftSemi,
        "anti" or "leftanti" => JoinType.LeftAnti,
        _ => throw new ArgumentException($"Unsupported join type '{how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.", nameof(how)),
    };
}
