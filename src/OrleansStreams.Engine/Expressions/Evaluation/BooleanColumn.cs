using Apache.Arrow;
using Apache.Arrow.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>An output column of bit-packed booleans.</summary>
public sealed class BooleanColumn
{
    private readonly byte[] _bits;

    public BooleanColumn(int length)
    {
        Length = length;
        _bits = new byte[(length + 7) / 8];
        Nulls = new NullMask(length);
    }

    public int Length { get; }

    public NullMask Nulls { get; }

    public void Set(int index, bool value)
    {
        if (value)
        {
            BitUtility.SetBit(_bits, index);
        }
    }

    public void SetNull(int index) => Nulls.SetNull(index);

    public BooleanArray Build() =>
        (BooleanArray)ArrowArrayFactory.BuildArray(new ArrayData(BooleanType.Default, Length, Nulls.NullCount, 0, [Nulls.Build(), new ArrowBuffer(_bits)]));
}
