using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>Joins: equality conjuncts between the two sides become hash keys, the rest a residual filter.</summary>
public sealed partial class QueryCompiler
{
    private CompiledNode CompileJoin(Join join)
    {
        var left = Compile(join.Left, null, []);
        var right = Compile(join.Right, null, []);
        var pairScope = new ColumnScope(
            new StructType(left.Scope.Schema.Fields.Concat(right.Scope.Schema.Fields)),
            [.. left.Scope.Qualifiers, .. right.Scope.Qualifiers]);

        var conjuncts = join.UsingColumns.Count > 0
            ? join.UsingColumns.Select(c => (Expression)new BinaryExpression(BinaryOperator.Equal, LeftRef(left.Scope, c), RightRef(right.Scope, c, left.Scope.Schema.Count))).ToList()
            : join.Condition is null ? [] : SplitConjuncts(join.Condition).ToList();

        var leftKeys = new List<BoundExpression>();
        var rightKeys = new List<BoundExpression>();
        var residual = new List<Expression>();
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is BinaryExpression { Operator: BinaryOperator.Equal } eq && TryKey(eq, left.Scope, right.Scope) is { } key)
            {
                leftKeys.Add(key.Left);
                rightKeys.Add(key.Right);
            }
            else
            {
                residual.Add(conjunct);
            }
        }

        var residualBound = residual.Count == 0 ? null : BindBoolean(residual.Aggregate((a, b) => new BinaryExpression(BinaryOperator.And, a, b)), pairScope);
        var op = new HashJoinExec(join.Type, leftKeys, rightKeys, residualBound, left.Operator, right.Operator);
        var node = new CompiledNode(op, join.Type is Plans.JoinType.LeftSemi or Plans.JoinType.LeftAnti ? left.Scope : new ColumnScope(op.Schema, pairScope.Qualifiers));
        return join.UsingColumns.Count > 0 && join.Type is not (Plans.JoinType.LeftSemi or Plans.JoinType.LeftAnti)
            ? UsingOutput(node, join, left.Scope.Schema.Count)
            : node;
    }

    /// <summary>USING (c): c once (coalesced for full joins, from the right side for right joins), then the other columns of each side.</summary>
    private CompiledNode UsingOutput(CompiledNode joined, Join join, int leftCount)
    {
        var scope = joined.Scope;
        var binding = scope.BindingSchema;
        var usingNames = join.UsingColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var items = new List<Expression>();
        foreach (var column in join.UsingColumns)
        {
            var l = IndexIn(scope.Schema, column, 0, leftCount);
            var r = IndexIn(scope.Schema, column, leftCount, scope.Schema.Count);
            Expression value = join.Type switch
            {
                Plans.JoinType.RightOuter => new ColumnRef(binding[r].Name),
                Plans.JoinType.FullOuter => new FunctionCall("coalesce", new ColumnRef(binding[l].Name), new ColumnRef(binding[r].Name)),
                _ => new ColumnRef(binding[l].Name),
            };
            items.Add(new Alias(value, scope.Schema[l].Name));
        }

        for (var i = 0; i < scope.Schema.Count; i++)
        {
            if (!usingNames.Contains(scope.Schema[i].Name))
            {
                items.Add(new Alias(new ColumnRef(binding[i].Name), scope.Schema[i].Name));
            }
        }

        var projection = Expressions.Evaluation.Projection.Bind(items, binding, context.Functions, context.Session);
        var qualifiers = join.UsingColumns.Select(_ => (string?)null)
            .Concat(Enumerable.Range(0, scope.Schema.Count).Where(i => !usingNames.Contains(scope.Schema[i].Name)).Select(i => scope.Qualifiers[i]))
            .ToArray();
        var op = new ProjectExec(projection, joined.Operator);
        return new CompiledNode(op, new ColumnScope(op.Schema, qualifiers));
    }

    private (BoundExpression Left, BoundExpression Right)? TryKey(BinaryExpression eq, ColumnScope left, ColumnScope right)
    {
        if (TryBind(eq.Left, left) is { } l1 && TryBind(eq.Right, right) is { } r1 && SameType(l1, r1))
        {
            return (l1, r1);
        }

        if (TryBind(eq.Right, left) is { } l2 && TryBind(eq.Left, right) is { } r2 && SameType(l2, r2))
        {
            return (l2, r2);
        }

        return null;
    }

    private BoundExpression? TryBind(Expression expression, ColumnScope scope)
    {
        // A side that names a column of the other input does not bind here: that is how sides are told apart.
        try
        {
            return Analyzer.Bind(scope.Resolve(expression), scope.BindingSchema, context.Functions, context.Session);
        }
        catch (AnalysisException)
        {
            return null;
        }
    }

    private BoundExpression BindBoolean(Expression condition, ColumnScope scope) =>
        Expressions.Evaluation.Filter.Bind(scope.Resolve(condition), scope.BindingSchema, context.Functions, context.Session).Predicate;

    private static bool SameType(BoundExpression a, BoundExpression b) => a.Type.SimpleString == b.Type.SimpleString;

    private static Expression LeftRef(ColumnScope left, string column) => RefIn(left, column, 0);

    private static Expression RightRef(ColumnScope right, string column, int offset) => RefIn(right, column, offset);

    /// <summary>A reference to a USING column of one side, unambiguous in the joined scope.</summary>
    private static Expression RefIn(ColumnScope side, string column, int offset)
    {
        var index = side.Schema.IndexOf(column);
        if (index < 0)
        {
            throw new AnalysisException(
                "UNRESOLVED_USING_COLUMN_FOR_JOIN",
                $"USING column {StructType.QuoteIdentifier(column)} cannot be resolved on the {(offset == 0 ? "left" : "right")} side of the join. The {(offset == 0 ? "left" : "right")}-side columns: [{string.Join(", ", side.Schema.FieldNames.Select(StructType.QuoteIdentifier))}].");
        }

        return new ColumnRef(side.BindingSchema[index].Name);
    }

    private static int IndexIn(StructType schema, string name, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (string.Equals(schema[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
