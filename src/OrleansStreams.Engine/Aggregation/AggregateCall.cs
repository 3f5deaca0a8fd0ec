using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>One aggregate function call of a query, bound: its argument and how to accumulate it.</summary>
public sealed class AggregateCall
{
    private AggregateCall(FunctionCall call, BoundExpression? argument, Func<SketchHash, Accumulator> create)
    {
        Call = call;
        Argument = argument;
        Create = create;
        ResultType = create(SketchHash.XxHash3).ResultType;
    }

    public FunctionCall Call { get; }

    /// <summary>The evaluated argument; null for <c>count(*)</c>.</summary>
    public BoundExpression? Argument { get; }

    /// <summary>A new accumulator; <c>approx_count_distinct</c> hashes with the given scheme.</summary>
    public Func<SketchHash, Accumulator> Create { get; }

    public DataType ResultType { get; }

    public static AggregateCall Bind(FunctionCall call, Func<Expression, BoundExpression> bind)
    {
        var name = call.Name.ToLowerInvariant();
        var args = call.Arguments;
        if (name == "count" && (args.Count == 0 || (args.Count == 1 && args[0] is Star or Literal { Value: not null })) && !call.Distinct)
        {
            return new AggregateCall(call, null, _ => new CountAccumulator());
        }

        var maxArgs = name == "approx_count_distinct" ? 2 : 1;
        if (args.Count < 1 || args.Count > maxArgs)
        {
            throw new AnalysisException(
                "WRONG_NUM_ARGS",
                $"The `{call.Name}` requires {(maxArgs == 1 ? "1" : "1 or 2")} parameters but the actual number is {args.Count} in \"{call.Sql}\".",
                call);
        }

        var argument = bind(args[0]);
        var type = argument.Type;
        Func<SketchHash, Accumulator> create = name switch
        {
            "count" => _ => new CollectAccumulator("count_distinct", type),
            "sum" when call.Distinct => throw Unsupported(call),
            "sum" => _ => new SumAccumulator(type, average: false),
            "avg" or "mean" => _ => new SumAccumulator(type, average: true),
            "min" or "max" => _ => new ValueAccumulator(name, type),
            "first" or "first_value" => _ => new ValueAccumulator("first", type),
            "last" or "last_value" => _ => new ValueAccumulator("last", type),
            "collect_list" => _ => new CollectAccumulator("collect_list", type),
            "collect_set" => _ => new CollectAccumulator("collect_set", type),
            "approx_count_distinct" => ApproxCountDistinct(call),
            _ => throw new AnalysisException("UNRESOLVED_ROUTINE", $"Cannot resolve aggregate function `{call.Name}` in \"{call.Sql}\".", call),
        };

        try
        {
            return new AggregateCall(call, argument, create);
        }
        catch (ArgumentException e)
        {
            throw new AnalysisException("DATATYPE_MISMATCH", $"Cannot resolve \"{call.Sql}\" due to data type mismatch: {e.Message}.", call);
        }
    }

    /// <summary>The column name Spark gives the call (<c>count(*)</c> prints as <c>count(1)</c>).</summary>
    public static string OutputName(FunctionCall call) =>
        call.Name.Equals("count", StringComparison.OrdinalIgnoreCase) && call.Arguments is [Star] ? "count(1)" : call.Sql;

    private static Func<SketchHash, Accumulator> ApproxCountDistinct(FunctionCall call)
    {
        var rsd = call.Arguments.Count == 2
            ? call.Arguments[1] is Literal { Value: double or decimal or float } l ? Convert.ToDouble(l.Value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new AnalysisException("DATATYPE_MISMATCH", $"The second argument of \"{call.Sql}\" must be a numeric literal (the relative standard deviation).", call)
            : 0.05;
        return hashing => new HyperLogLogAccumulator(rsd, hashing);
    }

    private static AnalysisException Unsupported(FunctionCall call) =>
        new("UNSUPPORTED_FEATURE", $"\"{call.Sql}\" is not supported.", call);
}
