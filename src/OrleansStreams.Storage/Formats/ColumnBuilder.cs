using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// One output column of a decoder, filled row by row in order straight into Arrow buffers sized
/// for the batch. Every row gets exactly one Append or AppendNull.
/// </summary>
internal abstract class ColumnBuilder(DataType type, int capacity)
{
    public DataType Type { get; } = type;

    public int Capacity { get; } = capacity;

    public int Count { get; protected set; }

    public abstract void AppendNull();

    /// <summary>Turns the last appended row into NULL (a record found malformed after some fields were decoded).</summary>
    public abstract void NullifyLast();

    /// <summary>The column of the first <paramref name="rows"/> rows.</summary>
    public abstract IArrowArray Build(int rows);

    public static ColumnBuilder For(DataType type, int capacity) => type switch
    {
        BooleanType => new BooleanBuilder(capacity),
        ByteType => new FixedBuilder<sbyte>(type, capacity),
        ShortType => new FixedBuilder<short>(type, capacity),
        IntegerType or DateType => new FixedBuilder<int>(type, capacity),
        LongType or TimestampType or TimestampNtzType => new FixedBuilder<long>(type, capacity),
        FloatType => new FixedBuilder<float>(type, capacity),
        DoubleType => new FixedBuilder<double>(type, capacity),
        StringType or BinaryType => new BytesBuilder(type, capacity),
        _ => new ScalarBuilder(type, capacity),
    };

    protected static IArrowArray Trim(IArrowArray array, int rows) => rows == array.Length ? array : ArrowArrayFactory.Slice(array, 0, rows);
}

internal sealed class FixedBuilder<T>(DataType type, int capacity) : ColumnBuilder(type, capacity)
    where T : unmanaged
{
    private readonly PrimitiveColumn<T> column = new(capacity);

    public void Append(T value) => column.Values[Count++] = value;

    public override void AppendNull() => column.SetNull(Count++);

    public override void NullifyLast() => column.SetNull(Count - 1);

    public override IArrowArray Build(int rows) => Trim(column.Build(ArrowTypes.ToArrow(Type)), rows);
}

internal sealed class BooleanBuilder(int capacity) : ColumnBuilder(BooleanType.Instance, capacity)
{
    private readonly BooleanColumn column = new(capacity);

    public void Append(bool value) => column.Set(Count++, value);

    public override void AppendNull() => column.SetNull(Count++);

    public override void NullifyLast() => column.SetNull(Count - 1);

    public override IArrowArray Build(int rows) => Trim(column.Build(), rows);
}

/// <summary>Strings and binary: bytes written in place (<see cref="GetSpan"/>/<see cref="Commit"/>) or copied.</summary>
internal sealed class BytesBuilder(DataType type, int capacity) : ColumnBuilder(type, capacity)
{
    private readonly Utf8Column column = new(capacity, capacity * 16);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        column.Append(bytes);
        Count++;
    }

    public Span<byte> GetSpan(int sizeHint) => column.GetSpan(sizeHint);

    /// <summary>Ends the row with the bytes written into <see cref="GetSpan"/>.</summary>
    public void Commit(int written)
    {
        column.Advance(written);
        column.EndRow();
        Count++;
    }

    public override void AppendNull()
    {
        column.AppendNull();
        Count++;
    }

    public override void NullifyLast() => column.Nulls.SetNull(Count - 1);

    public override IArrowArray Build(int rows)
    {
        // Rows never written keep offset 0; trimming to the written rows keeps the offsets valid.
        for (var i = Count; i < Capacity; i++)
        {
            column.AppendNull();
        }

        return Trim(column.Build(ArrowTypes.ToArrow(Type)), rows);
    }
}

/// <summary>Decimals and nested values (struct, array, map): collected as scalars, built at the end of the batch.</summary>
internal sealed class ScalarBuilder(DataType type, int capacity) : ColumnBuilder(type, capacity)
{
    private readonly object?[] values = new object?[capacity];

    public void Append(object? value) => values[Count++] = value;

    public override void AppendNull() => values[Count++] = null;

    public override void NullifyLast() => values[Count - 1] = null;

    public override IArrowArray Build(int rows) => Columns.FromScalars(Type, values.AsSpan(0, rows).ToArray());
}
