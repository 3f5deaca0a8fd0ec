using System.Numerics;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// Typed loops for + - * / % over two same-typed numeric columns. Integers wrap like Java
/// (Spark's non-ANSI mode); division or remainder by zero gives NULL; decimals compute in
/// <see cref="decimal"/> and overflow of the result precision gives NULL.
/// </summary>
internal static class ArithmeticKernels
{
    public static IArrowArray Evaluate(BinaryOperator op, IArrowArray left, IArrowArray right, DataType resultType) => resultType switch
    {
        ByteType => Run<sbyte>(op, left, right, resultType),
        ShortType => Run<short>(op, left, right, resultType),
        IntegerType => Run<int>(op, left, right, resultType),
        LongType => Run<long>(op, left, right, resultType),
        FloatType => Run<float>(op, left, right, resultType),
        DoubleType => Run<double>(op, left, right, resultType),
        DecimalType d => RunDecimal(op, left, right, d),
        _ => throw new NotSupportedException($"arithmetic on {resultType.SimpleString} is not supported"),
    };

    private static IArrowArray Run<T>(BinaryOperator op, IArrowArray left, IArrowArray right, DataType type)
        where T : unmanaged, INumber<T>, IMinMaxValue<T> => op switch
        {
            BinaryOperator.Add => Loop<T, Add<T>>(left, right, type),
            BinaryOperator.Subtract => Loop<T, Subtract<T>>(left, right, type),
            BinaryOperator.Multiply => Loop<T, Multiply<T>>(left, right, type),
            BinaryOperator.Divide => Loop<T, Divide<T>>(left, right, type),
            BinaryOperator.Modulo => Loop<T, Remainder<T>>(left, right, type),
            _ => throw new NotSupportedException($"operator {op} is not arithmetic"),
        };

    private static IArrowArray Loop<T, TOp>(IArrowArray left, IArrowArray right, DataType type)
        where T : unmanaged, INumber<T>
        where TOp : IOp<T>
    {
        var a = Columns.Values<T>(left);
        var b = Columns.Values<T>(right);
        var va = new Validity(left);
        var vb = new Validity(right);
        var result = new PrimitiveColumn<T>(a.Length);
        var output = result.Values;
        for (var i = 0; i < output.Length; i++)
        {
            if (!va.IsValid(i) || !vb.IsValid(i) || !TOp.TryApply(a[i], b[i], out output[i]))
            {
                result.SetNull(i);
            }
        }

        return result.Build(ArrowTypes.ToArrow(type));
    }

    private static IArrowArray RunDecimal(BinaryOperator op, IArrowArray left, IArrowArray right, DecimalType type)
    {
        var a = DecimalValues.Read(left);
        var b = DecimalValues.Read(right);
        var va = new Validity(left);
        var vb = new Validity(right);
        var result = new DecimalColumn(type, a.Length);
        for (var i = 0; i < a.Length; i++)
        {
            if (!va.IsValid(i) || !vb.IsValid(i))
            {
                result.SetNull(i);
                continue;
            }

            try
            {
                var ok = op switch
                {
                    BinaryOperator.Add => Add<decimal>.TryApply(a[i], b[i], out var r) ? r : (decimal?)null,
                    BinaryOperator.Subtract => Subtract<decimal>.TryApply(a[i], b[i], out var r) ? r : null,
                    BinaryOperator.Multiply => Multiply<decimal>.TryApply(a[i], b[i], out var r) ? r : null,
                    BinaryOperator.Divide => Divide<decimal>.TryApply(a[i], b[i], out var r) ? r : null,
                    BinaryOperator.Modulo => Remainder<decimal>.TryApply(a[i], b[i], out var r) ? r : null,
                    _ => throw new NotSupportedException($"operator {op} is not arithmetic"),
                };
                if (ok is { } value)
                {
                    result.Set(i, value);
                }
                else
                {
                    result.SetNull(i);
                }
            }
            catch (OverflowException)
            {
                result.SetNull(i); // beyond decimal's range: NULL, as Spark gives on overflow
            }
        }

        return result.Build();
    }

    private interface IOp<T>
    {
        static abstract bool TryApply(T a, T b, out T result);
    }

    private readonly struct Add<T> : IOp<T>
        where T : INumber<T>
    {
        public static bool TryApply(T a, T b, out T result)
        {
            result = unchecked(a + b);
            return true;
        }
    }

    private readonly struct Subtract<T> : IOp<T>
        where T : INumber<T>
    {
        public static bool TryApply(T a, T b, out T result)
        {
            result = unchecked(a - b);
            return true;
        }
    }

    private readonly struct Multiply<T> : IOp<T>
        where T : INumber<T>
    {
        public static bool TryApply(T a, T b, out T result)
        {
            result = unchecked(a * b);
            return true;
        }
    }

    private readonly struct Divide<T> : IOp<T>
        where T : INumber<T>
    {
        public static bool TryApply(T a, T b, out T result)
        {
            result = T.IsZero(b) ? T.Zero : a / b;
            return !T.IsZero(b);
        }
    }

    /// <summary>Java's remainder: the sign follows the dividend; <c>MIN % -1</c> is 0 rather than an overflow.</summary>
    private readonly struct Remainder<T> : IOp<T>
        where T : INumber<T>
    {
        public static bool TryApply(T a, T b, out T result)
        {
            if (T.IsZero(b))
            {
                result = T.Zero;
                return false;
            }

            var integral = typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(decimal);
            result = integral && b == -T.One ? T.Zero : a % b;
            return true;
        }
    }
}
