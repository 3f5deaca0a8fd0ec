using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>round, floor, ceil, greatest and least with Spark's result types.</summary>
internal static class MathFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        new LambdaFunction("round", 1, 2, Round),
        new LambdaFunction("floor", 1, 1, (call, args, context) => FloorCeil(call, args, context, ceiling: false)),
        new LambdaFunction("ceil", 1, 1, (call, args, context) => FloorCeil(call, args, context, ceiling: true)),
        new LambdaFunction("ceiling", 1, 1, (call, args, context) => FloorCeil(call, args, context, ceiling: true)),
        new LambdaFunction("greatest", 2, int.MaxValue, (call, args, context) => Extreme(call, args, context, greatest: true)),
        new LambdaFunction("least", 2, int.MaxValue, (call, args, context) => Extreme(call, args, context, greatest: false)),
    ];

    /// <summary>round(x[, d]): HALF_UP (away from zero on a tie) to d decimal places; d may be negative.</summary>
    private static BoundExpression Round(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var x = args[0].Type.IsNumeric ? args[0] : context.Coerce(call, args[0], DoubleType.Instance, 1);
        var scale = args.Count == 2 ? Kernels.Constant<int>(call, context.Cast(args[1], IntegerType.Instance), 2, "the scale") : 0;
        switch (x.Type)
        {
            case DecimalType d:
                var target = scale >= d.Scale ? d : new DecimalType(Math.Min(38, d.Precision - d.Scale + Math.Max(scale, 0) + 1), Math.Max(scale, 0));
                return new ComputedExpression(target, true, call.Sql, [x], (a, _) => Decimals(a[0], target, v => RoundDecimal(v, scale)));
            case FloatType or DoubleType:
                var asDouble = context.Cast(x, DoubleType.Instance);
                return new ComputedExpression(DoubleType.Instance, true, call.Sql, [asDouble], (a, _) =>
                    Kernels.Map(a[0], DoubleType.Instance, (double v, out double r) =>
                    {
                        r = RoundDouble(v, scale);
                        return true;
                    }));
            default:
                var asLong = context.Cast(x, LongType.Instance);
                var type = x.Type;
                return new ComputedExpression(type, true, call.Sql, [asLong], (a, _) =>
                {
                    var rounded = Kernels.Map(a[0], LongType.Instance, (long v, out long r) =>
                    {
                        r = scale >= 0 ? v : (long)RoundDecimal(v, scale);
                        return true;
                    });
                    return type is LongType ? rounded : Casts.CastKernel.Cast(rounded, LongType.Instance, type, Time.ZoneRules.Utc);
                });
        }
    }

    private static double RoundDouble(double value, int scale)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value;
        }

        // Through decimal, like Spark's BigDecimal(Double.toString(x)): 1.005 rounds to 1.01, not 1.0.
        return Math.Abs(value) < 7.9e27 && scale is >= -28 and <= 28
            ? (double)RoundDecimal((decimal)value, scale)
            : Math.Round(value, Math.Clamp(scale, 0, 15), MidpointRounding.AwayFromZero);
    }

    private static decimal RoundDecimal(decimal value, int scale)
    {
        if (scale >= 0)
        {
            return Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
        }

        var factor = (decimal)Math.Pow(10, -scale);
        return Math.Round(value / factor, MidpointRounding.AwayFromZero) * factor;
    }

    /// <summary>floor/ceil: a long for integral and floating input, decimal(p - s + 1, 0) for decimals.</summary>
    private static BoundExpression FloorCeil(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context, bool ceiling)
    {
        var x = args[0].Type.IsNumeric ? args[0] : context.Coerce(call, args[0], DoubleType.Instance, 1);
        if (x.Type is DecimalType d)
        {
            var target = new DecimalType(Math.Min(38, d.Precision - d.Scale + 1), 0);
            return new ComputedExpression(target, true, call.Sql, [x], (a, _) => Decimals(a[0], target, v => ceiling ? Math.Ceiling(v) : Math.Floor(v)));
        }

        if (x.Type.IsIntegral)
        {
            return context.Cast(x, LongType.Instance);
        }

        var asDouble = context.Cast(x, DoubleType.Instance);
        return new ComputedExpression(LongType.Instance, true, call.Sql, [asDouble], (a, _) =>
            Kernels.Map(a[0], LongType.Instance, (double v, out long r) =>
            {
                var rounded = ceiling ? Math.Ceiling(v) : Math.Floor(v);
                r = double.IsNaN(rounded) ? 0 : rounded >= long.MaxValue ? long.MaxValue : rounded <= long.MinValue ? long.MinValue : (long)rounded;
                return true;
            }));
    }

    /// <summary>greatest/least: the widest common type; NULLs are skipped, and the result is NULL only when all are.</summary>
    private static BoundExpression Extreme(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context, bool greatest)
    {
        var type = context.CommonType(call, args);
        if (type is ArrayType or MapType or StructType or BinaryType or BooleanType)
        {
            throw AnalysisException.Mismatch(call, $"the arguments must be of an orderable atomic type, not \"{type.SimpleString.ToUpperInvariant()}\".");
        }

        var cast = args.Select(a => context.Cast(a, type)).ToList();
        return new ComputedExpression(type, cast.All(c => c.Nullable), call.Sql, cast, (a, n) =>
        {
            var which = new int[n];
            var rows = new int[n];
            var order = a.Select(ValueOrder.For).ToArray();
            for (var i = 0; i < n; i++)
            {
                rows[i] = i;
                which[i] = -1;
                for (var k = 0; k < a.Length; k++)
                {
                    if (a[k].IsNull(i))
                    {
                        continue;
                    }

                    if (which[i] < 0 || (greatest ? ValueOrder.Compare(order[k], i, order[which[i]], i) > 0 : ValueOrder.Compare(order[k], i, order[which[i]], i) < 0))
                    {
                        which[i] = k;
                    }
                }
            }

            return Gather.Pick(a, which, rows);
        });
    }

    private static IArrowArray Decimals(IArrowArray input, DecimalType target, Func<decimal, decimal> map)
    {
        var values = DecimalValues.Read(input);
        var result = new DecimalColumn(target, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (input.IsNull(i))
            {
                result.SetNull(i);
            }
            else
            {
                result.Set(i, map(values[i]));
            }
        }

        return result.Build();
    }
}
