using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>Aggregation, DISTINCT and dropDuplicates, on the incremental aggregation engine.</summary>
public sealed partial class QueryCompiler
{
    /// <summary>
    /// For a streaming aggregation: the operator producing the aggregation's input (compiled as a batch
    /// over whatever the leaves resolve to) and the bound spec whose state the runtime keeps across batches.
    /// </summary>
    public AggregateInput CompileAggregateInput(Aggregate aggregate)
    {
        var child = Compile(aggregate.Child, null, []);
        var scope = child.Scope;
        var grouping = aggregate.Grouping.Select(scope.Resolve).ToList();
        var aggregates = aggregate.Aggregates.Select(scope.ResolveNamed).ToList();
        var spec = AggregationSpec.Bind(grouping, aggregates, scope.BindingSchema, context.Functions, context.Session);
        return new AggregateInput(child.Operator, spec, grouping, aggregates, scope.BindingSchema);
    }

    private CompiledNode CompileAggregate(Aggregate aggregate)
    {
        var needed = RequiredColumns.Of(aggregate.Grouping.Concat(aggregate.Aggregates.Where(a => a is not Star)));
        var child = Compile(aggregate.Child, needed, []);
        var scope = child.Scope;
        var spec = AggregationSpec.Bind(
            aggregate.Grouping.Select(scope.Resolve).ToList(),
            aggregate.Aggregates.Select(scope.ResolveNamed).ToList(),
            scope.BindingSchema,
            context.Functions,
            context.Session);
        return new CompiledNode(new AggregateExec(spec, child.Operator));
    }

    /// <summary>DISTINCT: a GROUP BY on every column with no aggregates.</summary>
    private CompiledNode CompileDistinct(CompiledNode child)
    {
        var columns = child.Scope.BindingSchema.FieldNames.Select((n, i) => (Expression)new Alias(new ColumnRef(n), child.Scope.Schema[i].Name)).ToList();
        var spec = AggregationSpec.Bind(columns.Select(c => ((Alias)c).Child).ToList(), columns, child.Scope.BindingSchema, context.Functions, context.Session);
        return new CompiledNode(new AggregateExec(spec, child.Operator));
    }

    /// <summary>dropDuplicates(cols) on a batch: the first row of each key, columns in their original order.</summary>
    private CompiledNode CompileDeduplicate(Deduplicate dedupe)
    {
        var child = Compile(dedupe.Child, null, []);
        var schema = child.Scope.Schema;
        var keys = dedupe.Columns.Count == 0 ? schema.FieldNames.ToHashSet(StringComparer.OrdinalIgnoreCase) : dedupe.Columns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys.Where(k => schema.IndexOf(k) < 0))
        {
            throw new Expressions.Analysis.AnalysisException("UNRESOLVED_COLUMN", $"Cannot resolve column name \"{key}\" among ({string.Join(", ", schema.FieldNames)}) in dropDuplicates.");
        }

        var outputs = schema.FieldNames.Select(n => keys.Contains(n) ? (Expression)new ColumnRef(n) : new Alias(new FunctionCall("first", new ColumnRef(n)), n)).ToList();
        var grouping = schema.FieldNames.Where(keys.Contains).Select(n => (Expression)new ColumnRef(n)).ToList();
        var spec = AggregationSpec.Bind(grouping, outputs, child.Scope.BindingSchema, context.Functions, context.Session);
        return new CompiledNode(new AggregateExec(spec, child.Operator));
    }
}
