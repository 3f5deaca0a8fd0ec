using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.DataFrames;

/// <summary>
/// The result of <c>GroupBy</c>: like Spark's RelationalGroupedDataset, the aggregation's
/// output is the grouping columns followed by the aggregates.
/// </summary>
public sealed class GroupedData
{
    private readonly DataFrame _source;
    private readonly Column[] _keys;

    internal GroupedData(DataFrame source, Column[] keys)
    {
        _source = source;
        _keys = keys;
    }

    public DataFrame Agg(params Column[] aggregates)
    {
        var keys = _keys.Select(k => k.Expression).ToEquatableList();
        var output = keys.Concat(aggregates.Select(a => a.Expression)).ToEquatableList();
        return new DataFrame(new Aggregate(keys, output, _source.Plan), _source.Session);
    }

    /// <summary><c>groupBy(…).count()</c>: a <c>count</c> column of rows per group.</summary>
    public DataFrame Count() => Agg(new Column(new Alias(new FunctionCall("count", new Literal(1, Types.IntegerType.Instance)), "count")));

    public DataFrame Sum(params string[] columns) => Agg(columns.Select(c => Functions.Sum(c)).ToArray());

    public DataFrame Avg(params string[] columns) => Agg(columns.Select(c => Functions.Avg(c)).ToArray());

    public DataFrame Min(params string[] columns) => Agg(columns.Select(c => Functions.Min(c)).ToArray());

    public DataFrame Max(params string[] columns) => Agg(columns.Select(c => Functions.Max(c)).ToArray());
}
