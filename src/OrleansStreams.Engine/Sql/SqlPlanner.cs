using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using PlanJoinType = OrleansStreams.Engine.Plans.JoinType;

namespace OrleansStreams.Engine.Sql;

/// <summary>
/// Turns a parsed query into the unresolved logical plan the DataFrame API builds for the same
/// query, so both front ends share one analyzer and one executor. Names stay unresolved here:
/// tables, views and columns are looked up when the plan is analyzed.
/// </summary>
public static class SqlPlanner
{
    public static LogicalPlan Plan(SqlQuery query) => Plan(query, CteScope.Empty);

    private static LogicalPlan Plan(SqlQuery query, CteScope ctes) => query switch
    {
        SelectQuery select => PlanSelect(select, ctes),
        UnionQuery union => OrderAndLimit(PlanUnion(union, ctes), union.OrderBy, union.Limit),
        WithQuery with => Plan(with.Body, with.Definitions.Aggregate(ctes, (scope, cte) => scope.With(cte.Name, Plan(cte.Query, scope)))),
        _ => throw new NotSupportedException($"Query {query.GetType().Name} is not supported"),
    };

    private static LogicalPlan PlanUnion(UnionQuery union, CteScope ctes)
    {
        LogicalPlan plan = new Union(Plan(union.Left, ctes), Plan(union.Right, ctes));
        return union.All ? plan : new Distinct(plan);
    }

    private static LogicalPlan PlanSelect(SelectQuery select, CteScope ctes)
    {
        var plan = select.From is null ? OneRowRelation.Instance : PlanRelation(select.From, ctes);
        if (select.Where is not null)
        {
            plan = new Filter(select.Where, plan);
        }

        var isAggregate = select.GroupBy is { Count: > 0 } || select.Projections.Any(AggregateFunctions.ContainsAggregate)
            || (select.Having is not null && AggregateFunctions.ContainsAggregate(select.Having));
        if (isAggregate)
        {
            plan = PlanAggregate(select, plan);
        }
        else
        {
            plan = new Project(select.Projections, plan);
            if (select.Having is not null)
            {
                plan = new Filter(select.Having, plan);
            }
        }

        if (select.Distinct)
        {
            plan = new Distinct(plan);
        }

        var orderBy = select.OrderBy?.Select(o => o with { Expression = Ordinal(o.Expression, select.Projections, asOutput: true) }).ToEquatableList();
        return OrderAndLimit(plan, orderBy, select.Limit);
    }

    /// <summary>
    /// <c>ORDER BY 2</c> / <c>GROUP BY 1</c>: an integer literal names a select-list item by position.
    /// ORDER BY refers to the item's output column; GROUP BY to its expression.
    /// </summary>
    private static Expression Ordinal(Expression expression, EquatableList<Expression> projections, bool asOutput)
    {
        if (expression is not Literal { Value: int position, Type: IntegerType })
        {
            return expression;
        }

        if (position < 1 || position > projections.Count || projections[position - 1] is Star)
        {
            throw new SqlPlanException($"[ORDER_BY_POS_OUT_OF_RANGE] Position {position} is not in the select list (valid range is [1, {projections.Count}]).");
        }

        var item = projections[position - 1];
        return asOutput ? new ColumnRef(Expressions.Analysis.Analyzer.OutputName(item)) : item is Alias a ? a.Child : item;
    }

    /// <summary>
    /// GROUP BY with HAVING: aggregate calls of HAVING that the select list does not output are
    /// computed as hidden columns, filtered on, then projected away (as Spark does).
    /// </summary>
    private static LogicalPlan PlanAggregate(SelectQuery select, LogicalPlan child)
    {
        var grouping = (select.GroupBy ?? EquatableList<Expression>.Empty).Select(g => Ordinal(g, select.Projections, asOutput: false)).ToEquatableList();
        if (select.Having is null)
        {
            return new Aggregate(grouping, select.Projections, child);
        }

        var outputs = select.Projections.ToList();
        var hidden = new List<Expression>();
        var condition = ExpressionRewriter.Rewrite(select.Having, e =>
        {
            if (e is not FunctionCall call || !AggregateFunctions.IsAggregate(call.Name))
            {
                return null;
            }

            if (outputs.OfType<Alias>().FirstOrDefault(a => a.Child.Equals(call)) is { } aliased)
            {
                return new ColumnRef(aliased.Name);
            }

            var name = $"__having_{hidden.Count}";
            hidden.Add(new Alias(call, name));
            return new ColumnRef(name);
        });

        var aggregate = new Aggregate(grouping, outputs.Concat(hidden).ToEquatableList(), child);
        LogicalPlan filtered = new Filter(condition, aggregate);
        return hidden.Count == 0
            ? filtered
            : new DropColumns(hidden.Select(h => ((Alias)h).Name).ToEquatableList(), filtered);
    }

    private static LogicalPlan OrderAndLimit(LogicalPlan plan, EquatableList<SortItem>? orderBy, int? limit)
    {
        if (orderBy is { Count: > 0 })
        {
            // The parser spells out Spark's default null order; the plan keeps null for "default", as the DataFrame API does.
            plan = new Sort(orderBy.Select(o => new SortOrder(o.Expression, !o.Descending, o.NullsFirst == o.Descending ? o.NullsFirst : null)).ToEquatableList(), plan);
        }

        return limit is { } count ? new Limit(count, plan) : plan;
    }

    private static LogicalPlan PlanRelation(Relation relation, CteScope ctes) => relation switch
    {
        TableRelation table => PlanTable(table, ctes),
        PathRelation path => Aliased(PathSource(path.Format, path.Path, path.Streaming, path.TimeTravel), path.Alias),
        ReadFilesRelation files => Aliased(ReadFiles(files), files.Alias),
        SubqueryRelation sub => Aliased(Plan(sub.Query, ctes), sub.Alias),
        JoinRelation join => new Join(
            PlanRelation(join.Left, ctes),
            PlanRelation(join.Right, ctes),
            (PlanJoinType)(int)join.Type,
            join.Condition,
            join.UsingColumns ?? EquatableList<string>.Empty),
        _ => throw new NotSupportedException($"Relation {relation.GetType().Name} is not supported"),
    };

    private static LogicalPlan PlanTable(TableRelation table, CteScope ctes)
    {
        if (table.Name.TryGetPath(out var format, out var path))
        {
            return Aliased(PathSource(format, path, table.Streaming, table.TimeTravel), table.Alias);
        }

        if (table.Name.Parts.Count == 1 && ctes.TryGet(table.Name.Name, out var cte))
        {
            return new SubqueryAlias(table.Alias ?? table.Name.Name, cte);
        }

        var asOf = table.TimeTravel is { } t ? new Plans.TimeTravel(t.Version, t.Timestamp) : null;
        LogicalPlan plan = new Plans.TableRelation(table.Name.ToString(), table.Streaming, asOf);
        return new SubqueryAlias(table.Alias ?? table.Name.Name, plan);
    }

    /// <summary><c>delta.`/path`</c>: time travel becomes the reader options Spark uses (<c>versionAsOf</c>, <c>timestampAsOf</c>).</summary>
    private static DataSourceRelation PathSource(string format, string path, bool streaming, TimeTravel? asOf)
    {
        var options = EquatableDictionary.Empty;
        if (asOf?.Version is { } version)
        {
            options = options.With("versionAsOf", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (asOf?.Timestamp is { } timestamp)
        {
            options = options.With("timestampAsOf", timestamp);
        }

        return new DataSourceRelation(format, path, options, null, streaming);
    }

    /// <summary>
    /// <c>read_files</c>: a streaming read is Auto Loader (format <c>cloudFiles</c> with
    /// <c>cloudFiles.format</c>); a batch read uses the format directly. Other options pass through as
    /// written; the source accepts cloudFiles options with or without their prefix.
    /// </summary>
    private static DataSourceRelation ReadFiles(ReadFilesRelation files)
    {
        var format = files.Format ?? throw new SqlPlanException($"read_files('{files.Path}') needs a format => '…' argument (json, csv, parquet or text)");
        var schema = files.Schema is { } ddl ? DdlParser.ParseSchema(ddl) : null;
        var options = files.Options
            .Where(o => !string.Equals(o.Key, "format", StringComparison.OrdinalIgnoreCase) && !string.Equals(o.Key, "schema", StringComparison.OrdinalIgnoreCase))
            .Select(o => KeyValuePair.Create(o.Key, o.Value))
            .ToList();
        if (files.Streaming)
        {
            options.Add(KeyValuePair.Create("cloudFiles.format", format));
            return new DataSourceRelation("cloudFiles", files.Path, new EquatableDictionary(options), schema, Streaming: true);
        }

        return new DataSourceRelation(format, files.Path, new EquatableDictionary(options), schema, Streaming: false);
    }

    private static LogicalPlan Aliased(LogicalPlan plan, string? alias) => alias is null ? plan : new SubqueryAlias(alias, plan);

    /// <summary>The common table expressions visible at a point of the query (inner definitions shadow outer ones).</summary>
    private sealed class CteScope
    {
        public static readonly CteScope Empty = new(new Dictionary<string, LogicalPlan>(StringComparer.OrdinalIgnoreCase));

        private readonly Dictionary<string, LogicalPlan> plans;

        private CteScope(Dictionary<string, LogicalPlan> plans) => this.plans = plans;

        public CteScope With(string name, LogicalPlan plan) =>
            new(new Dictionary<string, LogicalPlan>(plans, StringComparer.OrdinalIgnoreCase) { [name] = plan });

        public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LogicalPlan? plan) => plans.TryGetValue(name, out plan);
    }
}
