using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// An output column of variable-length values (string or binary): rows are appended in order,
/// their bytes written straight into one growing data buffer.
/// </summary>
public sealed class Utf8Column
{
    private readonly byte[] _offsets;
    private byte[] _data;
    private int _used;
    private int _row;

    public Utf8Column(int length, int bytesHint = 0)
    {
        Length = length;
        _offsets = new byte[(length + 1) * sizeof(int)];
        _data = new byte[Math.Max(16, bytesHint)];
        Nulls = new NullMask(length);
    }

    public int Length { get; }

    public NullMask Nulls { get; }

    private Span<int> Offsets => MemoryMarshal.Cast<byte, int>(_offsets.AsSpan());

    /// <summary>Space to write the current row's bytes into; call <see cref="Advance"/> with what was used.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        if (_data.Length - _used < sizeHint)
        {
            System.Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + sizeHint));
        }

        return _data.AsSpan(_used);
    }

    public void Advance(int count) => _used += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _used += bytes.Length;
    }

    /// <summary>Ends the current row with the bytes written since the previous row.</summary>
    public void EndRow() => Offsets[++_row] = _used;

    public void AppendNull()
    {
        Nulls.SetNull(_row);
        EndRow();
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Write(bytes);
        EndRow();
    }

    public IArrowArray Build(IArrowType type)
    {
        if (_row != Length)
        {
            throw new InvalidOperationException($"column has {_row} rows written, expected {Length}");
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(
            type, Length, Nulls.NullCount, 0, [Nulls.Build(), new ArrowBuffer(_offsets), new ArrowBuffer(_data.AsMemory(0, _used))]));
    }
}
