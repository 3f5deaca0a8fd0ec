using Apache.Arrow;
using Apache.Arrow.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>Reads an Arrow array's validity bits without a virtual call per row.</summary>
internal readonly ref struct Validity
{
    private readonly ReadOnlySpan<byte> _bits;
    private readonly int _offset;
    private readonly bool _allValid;
    private readonly bool _allNull;

    public Validity(IArrowArray array)
    {
        var data = array.Data;
        _allNull = data.DataType is NullType || (array.NullCount == data.Length && data.Length > 0);
        _allValid = !_allNull && (array.NullCount == 0 || data.Buffers[0].IsEmpty);
        _bits = _allValid || _allNull ? default : data.Buffers[0].Span;
        _offset = data.Offset;
    }

    public bool AllValid => _allValid;

    public bool IsValid(int index) => _allValid || (!_allNull && BitUtility.GetBit(_bits, _offset + index));
}
