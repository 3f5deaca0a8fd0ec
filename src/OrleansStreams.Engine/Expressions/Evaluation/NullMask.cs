using Apache.Arrow;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// Builds an output validity bitmap. The bitmap is only allocated at the first null, so
/// columns without nulls carry an empty validity buffer, as Arrow allows.
/// </summary>
public sealed class NullMask
{
    private readonly int _length;
    private byte[]? _bits;

    public NullMask(int length) => _length = length;

    public int NullCount { get; private set; }

    public void SetNull(int index)
    {
        if (_bits is null)
        {
            _bits = new byte[(_length + 7) / 8];
            _bits.AsSpan().Fill(0xFF);
        }

        if (BitUtility.GetBit(_bits, index))
        {
            BitUtility.ClearBit(_bits, index);
            NullCount++;
        }
    }

    public ArrowBuffer Build() => _bits is null ? ArrowBuffer.Empty : new ArrowBuffer(_bits);
}
