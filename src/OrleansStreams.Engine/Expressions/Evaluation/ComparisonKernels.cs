using System.Numerics;
using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// Typed comparison loops over two same-typed columns, producing a boolean column. Strings and
/// binary compare by their bytes (Spark's UTF-8 order); NaN equals NaN and sorts above every
/// other number, as in Spark. <c>&lt;=&gt;</c> is never NULL.
/// </summary>
internal static class ComparisonKernels
{
    public static BooleanArray Evaluate(BinaryOperator op, IArrowArray left, IArrowArray right, DataType type) => type switch
    {
        BooleanType => Loop(op, left, right, new BoolComparer(left, right)),
        ByteType => Numbers<sbyte>(op, left, right),
        ShortType => Numbers<short>(op, left, right),
        IntegerType or DateType => Numbers<int>(op, left, right),
        LongType or TimestampType or TimestampNtzType => Numbers<long>(op, left, right),
        FloatType => Numbers<float>(op, left, right),
        DoubleType => Numbers<double>(op, left, right),
        DecimalType => Loop(op, left, right, new SpanComparer<decimal>(DecimalValues.Read(left), DecimalValues.Read(right))),
        StringType or BinaryType => Loop(op, left, right, new BytesComparer((BinaryArray)left, (BinaryArray)right)),
        NullType => Loop(op, left, right, new BoolComparer(left, right)),
        _ => throw new NotSupportedException($"comparing values of type {type.SimpleString} is not supported"),
    };

    private static BooleanArray Numbers<T>(BinaryOperator op, IArrowArray left, IArrowArray right)
        where T : unmanaged, INumber<T> =>
        Loop(op, left, right, new SpanComparer<T>(Columns.Values<T>(left), Columns.Values<T>(right)));

    private static BooleanArray Loop<TComparer>(BinaryOperator op, IArrowArray left, IArrowArray right, TComparer comparer)
        where TComparer : IRowComparer, allows ref struct
    {
        var va = new Validity(left);
        var vb = new Validity(right);
        var n = left.Length;
        var result = new BooleanColumn(n);
        for (var i = 0; i < n; i++)
        {
            var aValid = va.IsValid(i);
            var bValid = vb.IsValid(i);
            if (!aValid || !bValid)
            {
                if (op == BinaryOperator.NullSafeEqual)
                {
                    result.Set(i, aValid == bValid);
                }
                else
                {
                    result.SetNull(i);
                }

                continue;
            }

            var c = comparer.Compare(i);
            result.Set(i, op switch
            {
                BinaryOperator.Equal or BinaryOperator.NullSafeEqual => c == 0,
                BinaryOperator.NotEqual => c != 0,
                BinaryOperator.LessThan => c < 0,
                BinaryOperator.LessThanOrEqual => c <= 0,
                BinaryOperator.GreaterThan => c > 0,
                BinaryOperator.GreaterThanOrEqual => c >= 0,
                _ => throw new NotSupportedException($"operator {op} is not a comparison"),
            });
        }

        return result.Build();
    }

    private interface IRowComparer
    {
        int Compare(int row);
    }

    private readonly ref struct SpanComparer<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right) : IRowComparer
        where T : INumber<T>
    {
        private readonly ReadOnlySpan<T> _left = left;
        private readonly ReadOnlySpan<T> _right = right;

        public int Compare(int row)
        {
            var a = _left[row];
            var b = _right[row];
            if (T.IsNaN(a) || T.IsNaN(b))
            {
                return T.IsNaN(a) ? (T.IsNaN(b) ? 0 : 1) : -1;
            }

            return a < b ? -1 : (a > b ? 1 : 0);
        }
    }

    private readonly ref struct BytesComparer(BinaryArray left, BinaryArray right) : IRowComparer
    {
        public int Compare(int row) => left.GetBytes(row).SequenceCompareTo(right.GetBytes(row));
    }

    private readonly ref struct BoolComparer(IArrowArray left, IArrowArray right) : IRowComparer
    {
        public int Compare(int row) => Bit(left, row).CompareTo(Bit(right, row));

        private static bool Bit(IArrowArray array, int row) =>
            array is BooleanArray b && BitUtility.GetBit(b.Data.Buffers[1].Span, b.Offset + row);
    }
}
