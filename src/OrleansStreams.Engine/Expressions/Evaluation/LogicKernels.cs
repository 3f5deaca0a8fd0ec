using Apache.Arrow;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>Three-valued AND / OR / NOT over boolean columns: false AND NULL is false, true OR NULL is true.</summary>
internal static class LogicKernels
{
    public static BooleanArray And(IArrowArray left, IArrowArray right) => Combine(left, right, isAnd: true);

    public static BooleanArray Or(IArrowArray left, IArrowArray right) => Combine(left, right, isAnd: false);

    public static BooleanArray Not(IArrowArray child)
    {
        var v = new Validity(child);
        var values = Bits(child);
        var result = new BooleanColumn(child.Length);
        for (var i = 0; i < child.Length; i++)
        {
            if (v.IsValid(i))
            {
                result.Set(i, !BitUtility.GetBit(values, child.Offset + i));
            }
            else
            {
                result.SetNull(i);
            }
        }

        return result.Build();
    }

    /// <summary>The value of a boolean column at a row, with NULL read as false (how WHERE and WHEN treat it).</summary>
    public static bool IsTrue(IArrowArray array, in Validity validity, int row) =>
        validity.IsValid(row) && BitUtility.GetBit(Bits(array), array.Offset + row);

    private static BooleanArray Combine(IArrowArray left, IArrowArray right, bool isAnd)
    {
        var va = new Validity(left);
        var vb = new Validity(right);
        var a = Bits(left);
        var b = Bits(right);
        var result = new BooleanColumn(left.Length);
        for (var i = 0; i < left.Length; i++)
        {
            var aValid = va.IsValid(i);
            var bValid = vb.IsValid(i);
            var x = aValid && BitUtility.GetBit(a, left.Offset + i);
            var y = bValid && BitUtility.GetBit(b, right.Offset + i);

            // The dominant value (false for AND, true for OR) decides even when the other side is NULL.
            var dominant = !isAnd;
            if ((aValid && x == dominant) || (bValid && y == dominant))
            {
                result.Set(i, dominant);
            }
            else if (aValid && bValid)
            {
                result.Set(i, !dominant);
            }
            else
            {
                result.SetNull(i);
            }
        }

        return result.Build();
    }

    private static ReadOnlySpan<byte> Bits(IArrowArray array) =>
        array.Data.Buffers.Length > 1 ? array.Data.Buffers[1].Span : default;
}
