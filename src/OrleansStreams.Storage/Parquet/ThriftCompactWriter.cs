using System.Buffers;
using System.Text;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// The Thrift compact protocol, write side, as far as Parquet's footer and page headers need it: structs
/// with delta-coded field ids, zigzag varints, binary, lists, booleans and bytes.
/// </summary>
internal sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    private const byte True = 1;
    private const byte False = 2;
    private const byte Byte = 3;
    private const byte I32 = 5;
    private const byte I64 = 6;
    private const byte Binary = 8;
    private const byte List = 9;
    private const byte Struct = 12;

    private readonly Stack<short> parents = new();
    private short lastField;

    public void BeginStruct()
    {
        parents.Push(lastField);
        lastField = 0;
    }

    public void EndStruct()
    {
        WriteByte(0); // STOP
        lastField = parents.Pop();
    }

    /// <summary>A struct-valued field; close it with <see cref="EndStruct"/>.</summary>
    public void BeginStructField(short id)
    {
        FieldHeader(id, Struct);
        BeginStruct();
    }

    public void Field(short id, int value)
    {
        FieldHeader(id, I32);
        Varint(ZigZag(value));
    }

    public void Field(short id, long value)
    {
        FieldHeader(id, I64);
        Varint(ZigZag(value));
    }

    public void Field(short id, bool value) => FieldHeader(id, value ? True : False);

    public void FieldByte(short id, sbyte value)
    {
        FieldHeader(id, Byte);
        WriteByte((byte)value);
    }

    public void Field(short id, string value) => Field(id, (ReadOnlySpan<byte>)Encoding.UTF8.GetBytes(value));

    public void Field(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, Binary);
        Varint((ulong)value.Length);
        output.Write(value);
    }

    /// <summary>A list of structs: write each element between <see cref="BeginStruct"/> and <see cref="EndStruct"/>.</summary>
    public void StructListField(short id, int count) => ListHeader(id, count, Struct);

    public void Field(short id, IReadOnlyList<int> values)
    {
        ListHeader(id, values.Count, I32);
        foreach (var value in values)
        {
            Varint(ZigZag(value));
        }
    }

    public void Field(short id, IReadOnlyList<string> values)
    {
        ListHeader(id, values.Count, Binary);
        foreach (var value in values)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Varint((ulong)bytes.Length);
            output.Write(bytes);
        }
    }

    private void ListHeader(short id, int count, byte elementType)
    {
        FieldHeader(id, List);
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | elementType));
            Varint((ulong)count);
        }
    }

    private void FieldHeader(short id, byte type)
    {
        var delta = id - lastField;
        if (delta is > 0 and <= 15)
        {
            WriteByte((byte)((delta << 4) | type));
        }
        else
        {
            WriteByte(type);
            Varint(ZigZag(id));
        }

        lastField = id;
    }

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void Varint(ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
