using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>An output column of fixed-width values written in place through a span.</summary>
public sealed class PrimitiveColumn<T>
    where T : unmanaged
{
    private readonly byte[] _bytes;

    public PrimitiveColumn(int length)
    {
        Length = length;
        _bytes = new byte[length * Marshal.SizeOf<T>()];
        Nulls = new NullMask(length);
    }

    public int Length { get; }

    public Span<T> Values => MemoryMarshal.Cast<byte, T>(_bytes.AsSpan());

    public NullMask Nulls { get; }

    public void SetNull(int index) => Nulls.SetNull(index);

    public IArrowArray Build(IArrowType type) =>
        ArrowArrayFactory.BuildArray(new ArrayData(type, Length, Nulls.NullCount, 0, [Nulls.Build(), new ArrowBuffer(_bytes)]));
}
