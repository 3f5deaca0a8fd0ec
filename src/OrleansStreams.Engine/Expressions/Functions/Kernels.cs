using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// Column-at-a-time loops shared by the scalar functions: typed spans in, typed column out, a
/// delegate per value and no object per row. A row is NULL when any input is NULL unless the
/// function says otherwise (a <c>Try</c> kernel returning false also gives NULL).
/// </summary>
internal static class Kernels
{
    public delegate bool TryMap<TIn, TOut>(TIn value, out TOut result);

    public delegate bool TryMap2<TA, TB, TOut>(TA a, TB b, out TOut result);

    public delegate bool TryWrite(ReadOnlySpan<byte> value, Utf8Column output);

    public static IArrowArray Map<TIn, TOut>(IArrowArray input, DataType outType, TryMap<TIn, TOut> map)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var values = Columns.Values<TIn>(input);
        var validity = new Validity(input);
        var result = new PrimitiveColumn<TOut>(values.Length);
        var output = result.Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (!validity.IsValid(i) || !map(values[i], out output[i]))
            {
                result.SetNull(i);
            }
        }

        return result.Build(ArrowTypes.ToArrow(outType));
    }

    public static IArrowArray Map2<TA, TB, TOut>(IArrowArray a, IArrowArray b, DataType outType, TryMap2<TA, TB, TOut> map)
        where TA : unmanaged
        where TB : unmanaged
        where TOut : unmanaged
    {
        var left = Columns.Values<TA>(a);
        var right = Columns.Values<TB>(b);
        var validA = new Validity(a);
        var validB = new Validity(b);
        var result = new PrimitiveColumn<TOut>(left.Length);
        var output = result.Values;
        for (var i = 0; i < left.Length; i++)
        {
            if (!validA.IsValid(i) || !validB.IsValid(i) || !map(left[i], right[i], out output[i]))
            {
                result.SetNull(i);
            }
        }

        return result.Build(ArrowTypes.ToArrow(outType));
    }

    /// <summary>A string/binary column mapped to another, each row written straight into the output buffer.</summary>
    public static IArrowArray MapBytes(IArrowArray input, DataType outType, TryWrite write)
    {
        var strings = (BinaryArray)input;
        var result = new Utf8Column(strings.Length, strings.ValueBuffer.Length);
        for (var i = 0; i < strings.Length; i++)
        {
            if (strings.IsNull(i) || !write(strings.GetBytes(i), result))
            {
                result.AppendNull();
                continue;
            }

            result.EndRow();
        }

        return result.Build(ArrowTypes.ToArrow(outType));
    }

    /// <summary>A string/binary column mapped to fixed-width values.</summary>
    public static IArrowArray MapBytesTo<TOut>(IArrowArray input, DataType outType, TryMap<ReadOnlyMemory<byte>, TOut> map)
        where TOut : unmanaged
    {
        var strings = (BinaryArray)input;
        var result = new PrimitiveColumn<TOut>(strings.Length);
        var output = result.Values;
        var data = strings.ValueBuffer.Memory;
        for (var i = 0; i < strings.Length; i++)
        {
            if (strings.IsNull(i))
            {
                result.SetNull(i);
                continue;
            }

            var start = strings.ValueOffsets[i];
            if (!map(data[start..strings.ValueOffsets[i + 1]], out output[i]))
            {
                result.SetNull(i);
            }
        }

        return result.Build(ArrowTypes.ToArrow(outType));
    }

    /// <summary>The constant value of an argument that must be a literal, or an analysis error naming the call.</summary>
    public static T Constant<T>(FunctionCall call, Bound.BoundExpression argument, int position, string what)
    {
        if (argument is Bound.BoundLiteral { Value: T value })
        {
            return value;
        }

        throw Analysis.AnalysisException.Mismatch(call, $"the {Analysis.BindContext.Ordinal(position)} parameter ({what}) must be a constant, however \"{argument.Sql}\" is not.");
    }
}
