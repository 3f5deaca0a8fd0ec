using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>An output Decimal128 column; a value that overflows the type's precision becomes NULL, as in Spark.</summary>
public sealed class DecimalColumn
{
    private readonly byte[] _bytes;
    private readonly DecimalType _type;

    public DecimalColumn(DecimalType type, int length)
    {
        _type = type;
        Length = length;
        _bytes = new byte[length * 16];
        Nulls = new NullMask(length);
    }

    public int Length { get; }

    public NullMask Nulls { get; }

    public void Set(int index, decimal value)
    {
        if (DecimalValues.TryToUnscaled(value, _type, out var unscaled))
        {
            MemoryMarshal.Cast<byte, Int128>(_bytes.AsSpan())[index] = unscaled;
        }
        else
        {
            Nulls.SetNull(index);
        }
    }

    public void SetNull(int index) => Nulls.SetNull(index);

    public IArrowArray Build() =>
        ArrowArrayFactory.BuildArray(new ArrayData(ArrowTypes.ToArrow(_type), Length, Nulls.NullCount, 0, [Nulls.Build(), new ArrowBuffer(_bytes)]));
}
