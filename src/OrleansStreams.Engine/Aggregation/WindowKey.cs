using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// <c>window(timeColumn, '10 minutes'[, '5 minutes'])</c> as a grouping key: each row belongs to every
/// window (of the given length, starting every slide) that contains its time. The key is the window
/// start; the output column is <c>struct&lt;start: timestamp, end: timestamp&gt;</c>.
/// </summary>
public sealed class WindowKey
{
    public static readonly StructType OutputType = new(new StructField("start", TimestampType.Instance), new StructField("end", TimestampType.Instance));

    private WindowKey(BoundExpression time, long size, long slide)
    {
        Time = time;
        SizeMicros = size;
        SlideMicros = slide;
    }

    public BoundExpression Time { get; }

    public long SizeMicros { get; }

    public long SlideMicros { get; }

    public static bool IsWindow(Expression expression) => expression is FunctionCall { Name: var n } && n.Equals("window", StringComparison.OrdinalIgnoreCase);

    public static WindowKey Bind(FunctionCall call, Func<Expression, BoundExpression> bind)
    {
        if (call.Arguments.Count is < 2 or > 3 || call.Arguments.Skip(1).Any(a => a is not Literal { Value: string }))
        {
            throw new AnalysisException(
                "WRONG_NUM_ARGS",
                $"window(timeColumn, windowDuration[, slideDuration]) takes a time column and one or two interval strings such as '10 minutes', in \"{call.Sql}\".",
                call);
        }

        var time = bind(call.Arguments[0]);
        if (time.Type is not (TimestampType or TimestampNtzType))
        {
            throw new AnalysisException("DATATYPE_MISMATCH", $"The time column of \"{call.Sql}\" must be a timestamp, not {time.Type.SimpleString}.", call);
        }

        var size = IntervalText.ParseMicros((string)((Literal)call.Arguments[1]).Value!, "window duration");
        var slide = call.Arguments.Count == 3 ? IntervalText.ParseMicros((string)((Literal)call.Arguments[2]).Value!, "slide duration") : size;
        if (size <= 0 || slide <= 0 || slide > size)
        {
            throw new AnalysisException("DATATYPE_MISMATCH", $"In \"{call.Sql}\" the window duration must be positive and the slide between 0 and the window duration.", call);
        }

        return new WindowKey(time, size, slide);
    }

    /// <summary>For each (row, window) pair: the input row and the window start. Rows with a NULL time are dropped.</summary>
    public (int[] Rows, long[] Starts) Assign(RecordBatch batch)
    {
        var times = (TimestampArray)Time.Evaluate(batch);
        var rows = new List<int>(batch.Length);
        var starts = new List<long>(batch.Length);
        var perRow = (int)((SizeMicros + SlideMicros - 1) / SlideMicros);
        for (var i = 0; i < times.Length; i++)
        {
            if (times.IsNull(i))
            {
                continue;
            }

            var t = times.Values[i];
            var lastStart = t - FloorMod(t, SlideMicros);
            for (var k = perRow - 1; k >= 0; k--)
            {
                var start = lastStart - (k * SlideMicros);
                if (start + SizeMicros > t)
                {
                    rows.Add(i);
                    starts.Add(start);
                }
            }
        }

        return (rows.ToArray(), starts.ToArray());
    }

    /// <summary>The <c>window</c> struct column of the given window starts.</summary>
    public IArrowArray Output(IReadOnlyList<object?> starts)
    {
        var structs = starts.Select(s => s is long start ? new object?[] { start, start + SizeMicros } : null).ToList<object?>();
        return Columns.FromScalars(OutputType, structs);
    }

    private static long FloorMod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
