using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>Writes and reads engine scalars of a known type in a compact binary form (aggregation state).</summary>
internal static class ScalarCodec
{
    public static void Write(BinaryWriter writer, DataType type, object? value)
    {
        writer.Write(value is not null);
        switch (value)
        {
            case null:
                return;
            case bool b:
                writer.Write(b);
                break;
            case sbyte v:
                writer.Write(v);
                break;
            case short v:
                writer.Write(v);
                break;
            case int v:
                writer.Write(v);
                break;
            case long v:
                writer.Write(v);
                break;
            case float v:
                writer.Write(v);
                break;
            case double v:
                writer.Write(v);
                break;
            case decimal v:
                writer.Write(v);
                break;
            case string v:
                writer.Write(v);
                break;
            case byte[] v:
                writer.Write(v.Length);
                writer.Write(v);
                break;
            case IReadOnlyList<object?> list when type is ArrayType at:
                writer.Write(list.Count);
                foreach (var item in list)
                {
                    Write(writer, at.ElementType, item);
                }

                break;
            case object?[] fields when type is StructType st:
                for (var i = 0; i < st.Count; i++)
                {
                    Write(writer, st[i].Type, fields[i]);
                }

                break;
            default:
                throw new NotSupportedException($"storing a {type.SimpleString} value ({value.GetType().Name}) in aggregation state is not supported");
        }
    }

    public static object? Read(BinaryReader reader, DataType type)
    {
        if (!reader.ReadBoolean())
        {
            return null;
        }

        return type switch
        {
            BooleanType => reader.ReadBoolean(),
            ByteType => reader.ReadSByte(),
            ShortType => reader.ReadInt16(),
            IntegerType or DateType => reader.ReadInt32(),
            LongType or TimestampType or TimestampNtzType => reader.ReadInt64(),
            FloatType => reader.ReadSingle(),
            DoubleType => reader.ReadDouble(),
            DecimalType => reader.ReadDecimal(),
            StringType => reader.ReadString(),
            BinaryType => reader.ReadBytes(reader.ReadInt32()),
            ArrayType at => Enumerable.Range(0, reader.ReadInt32()).Select(_ => Read(reader, at.ElementType)).ToArray(),
            StructType st => st.Fields.Select(f => Read(reader, f.Type)).ToArray(),
            _ => throw new NotSupportedException($"reading a {type.SimpleString} value from aggregation state is not supported"),
        };
    }
}
