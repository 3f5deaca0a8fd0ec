using Apache.Arrow;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// A GROUP BY bound to its input: the key expressions (at most one of them a <c>window</c>), the
/// aggregate calls, and the projection that turns keys and aggregate results into the select list
/// (so <c>upper(author)</c> of a key or <c>count(x) + 1</c> work as in Spark).
/// </summary>
public sealed class AggregationSpec
{
    private AggregationSpec(IReadOnlyList<BoundExpression?> keys, WindowKey? window, int windowIndex, IReadOnlyList<AggregateCall> calls, Projection output)
    {
        Keys = keys;
        Window = window;
        WindowIndex = windowIndex;
        Calls = calls;
        Output = output;
    }

    /// <summary>Key expressions; the window key's slot is null (its value comes from <see cref="Window"/>).</summary>
    public IReadOnlyList<BoundExpression?> Keys { get; }

    public WindowKey? Window { get; }

    public int WindowIndex { get; }

    public IReadOnlyList<AggregateCall> Calls { get; }

    /// <summary>Evaluated over a batch of keys (<c>__key_i</c>) and aggregate results (<c>__agg_j</c>).</summary>
    public Projection Output { get; }

    public StructType OutputSchema => Output.OutputSchema;

    /// <summary>Types of the stored keys (the window key is its start, a long).</summary>
    public IReadOnlyList<DataType> KeyTypes => Keys.Select((k, i) => i == WindowIndex ? LongType.Instance : k!.Type).ToList();

    public static AggregationSpec Bind(
        IReadOnlyList<Expression> grouping,
        IReadOnlyList<Expression> outputs,
        StructType input,
        FunctionRegistry? registry = null,
        SessionConfig? session = null)
    {
        BoundExpression BindInput(Expression e) => Analyzer.Bind(e, input, registry, session);

        var keys = new List<BoundExpression?>();
        WindowKey? window = null;
        var windowIndex = -1;
        foreach (var key in grouping)
        {
            if (WindowKey.IsWindow(key))
            {
                if (window is not null)
                {
                    throw new AnalysisException("MULTIPLE_TIME_WINDOWS", "Multiple time/session window expressions in one GROUP BY are not supported.", key);
                }

                window = WindowKey.Bind((FunctionCall)key, BindInput);
                windowIndex = keys.Count;
                keys.Add(null);
            }
            else
            {
                if (AggregateFunctions.ContainsAggregate(key))
                {
                    throw new AnalysisException("GROUP_BY_AGGREGATE", $"Aggregate functions are not allowed in GROUP BY, but found \"{key.Sql}\".", key);
                }

                keys.Add(BindInput(key));
            }
        }

        var calls = new List<AggregateCall>();
        var rewritten = outputs.Select(o => Rewrite(o, grouping, calls, BindInput)).ToList();
        var resultSchema = new StructType(
            keys.Select((k, i) => new StructField($"__key_{i}", i == windowIndex ? WindowKey.OutputType : k!.Type, true))
                .Concat(calls.Select((c, j) => new StructField($"__agg_{j}", c.ResultType, true))));
        var projection = Projection.Bind(rewritten, resultSchema, registry, session);
        return new AggregationSpec(keys, window, windowIndex, calls, projection);
    }

    /// <summary>Empty state; <paramref name="sketchHash"/> is the checkpoint's (new checkpoints use the default).</summary>
    public AggregationState NewState(SketchHash sketchHash = SketchHash.XxHash3) => new(this, sketchHash);

    /// <summary>
    /// The partition (0 … <paramref name="partitions"/> - 1) of each input row, by the <see cref="StableHash"/> of its
    /// non-window keys, so every row of a group goes to the same partition's state in every process. Without such
    /// keys, all go to 0.
    /// </summary>
    public int[] PartitionRows(RecordBatch input, int partitions) =>
        Partitions(Keys.Where(k => k is not null).Select(k => k!.Evaluate(input)), input.Length, partitions);

    /// <summary>The partition of each row of key columns in <see cref="KeyTypes"/> order (the window key's column is skipped).</summary>
    public int[] PartitionKeys(IReadOnlyList<IArrowArray> keyColumns, int rows, int partitions) =>
        Partitions(keyColumns.Where((_, i) => i != WindowIndex), rows, partitions);

    private static int[] Partitions(IEnumerable<IArrowArray> keyColumns, int rows, int partitions)
    {
        var hashes = StableHash.Rows(keyColumns, rows);
        var result = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            result[i] = StableHash.Partition(hashes[i], partitions);
        }

        return result;
    }

    /// <summary>Replaces grouping expressions and aggregate calls of a select item by references into the result batch.</summary>
    private static Expression Rewrite(Expression output, IReadOnlyList<Expression> grouping, List<AggregateCall> calls, Func<Expression, BoundExpression> bind)
    {
        var name = output is Alias a ? a.Name : output is FunctionCall f && AggregateFunctions.IsAggregate(f.Name) ? AggregateCall.OutputName(f) : Analyzer.OutputName(output);
        var body = output is Alias alias ? alias.Child : output;
        var result = ExpressionRewriter.Rewrite(body, e =>
        {
            var key = IndexOfKey(e, grouping);
            if (key >= 0)
            {
                return new ColumnRef($"__key_{key}");
            }

            if (e is FunctionCall call && AggregateFunctions.IsAggregate(call.Name))
            {
                var index = calls.FindIndex(c => c.Call.Equals(call));
                if (index < 0)
                {
                    calls.Add(AggregateCall.Bind(call, bind));
                    index = calls.Count - 1;
                }

                return new ColumnRef($"__agg_{index}");
            }

            if (e is ColumnRef column)
            {
                throw new AnalysisException(
                    "MISSING_AGGREGATION",
                    $"The non-aggregating expression \"{column.Sql}\" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({column.Sql})\".",
                    column);
            }

            return null;
        });
        return new Alias(result, name);
    }

    private static int IndexOfKey(Expression e, IReadOnlyList<Expression> grouping)
    {
        for (var i = 0; i < grouping.Count; i++)
        {
            var key = grouping[i] is Alias a ? a.Child : grouping[i];
            if (key.Equals(e) || (key is ColumnRef k && e is ColumnRef c && SameColumn(k, c)))
            {
                return i;
            }
        }

        return -1;
    }

    // `author` and `b.author` name the same key, case-insensitively, as Spark resolves them.
    private static bool SameColumn(ColumnRef a, ColumnRef b) =>
        string.Equals(a.NameParts[^1], b.NameParts[^1], StringComparison.OrdinalIgnoreCase)
        && (a.NameParts.Count == 1 || b.NameParts.Count == 1 || a.NameParts.SequenceEqual(b.NameParts, StringComparer.OrdinalIgnoreCase));
}
