using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// <c>date_format(timestamp, pattern)</c> in the session time zone. The pattern must be a constant:
/// it is compiled once and every row is written as UTF-8 straight into the output buffer.
/// </summary>
internal sealed class DateFormatFunction() : FunctionDefinition("date_format", 2, 2)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context)
    {
        var timestamp = context.Coerce(call, arguments[0], TimestampType.Instance, 1);
        var pattern = context.Coerce(call, arguments[1], StringType.Instance, 2);
        if (pattern is not BoundLiteral literal)
        {
            throw AnalysisException.Mismatch(call, $"the second parameter (the pattern) must be a constant string, however \"{pattern.Sql}\" is not.");
        }

        if (literal.Value is not string text)
        {
            return new BoundLiteral(null, StringType.Instance, call.Sql);
        }

        DateTimeFormatter formatter;
        try
        {
            formatter = DateTimeFormatter.Compile(text);
        }
        catch (FormatException e)
        {
            throw AnalysisException.Mismatch(call, e.Message);
        }

        return new DateFormatExpression(timestamp, formatter, context.Session.Zone, call.Sql);
    }

    private sealed class DateFormatExpression(BoundExpression timestamp, DateTimeFormatter formatter, ZoneRules zone, string sql)
        : BoundExpression(StringType.Instance, timestamp.Nullable, sql)
    {
        public override IReadOnlyList<BoundExpression> Children => [timestamp];

        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var input = timestamp.Evaluate(batch);
            var micros = Columns.Values<long>(input);
            var validity = new Validity(input);
            var result = new Utf8Column(input.Length, input.Length * Math.Min(formatter.MaxLength, 16));

            // A date-only pattern in a fixed-offset zone gives one text per local day: rows of the day last
            // formatted (timestamps come in runs) copy its text.
            var byDay = formatter.DateOnly && zone.IsFixed;
            var offset = byDay ? zone.OffsetAt(0) : 0;
            var lastDay = long.MinValue;
            Span<byte> last = stackalloc byte[formatter.MaxLength];
            var lastLength = 0;
            for (var i = 0; i < micros.Length; i++)
            {
                if (!validity.IsValid(i))
                {
                    result.AppendNull();
                    continue;
                }

                if (!byDay)
                {
                    result.Advance(formatter.Format(micros[i], zone, result.GetSpan(formatter.MaxLength)));
                    result.EndRow();
                    continue;
                }

                var day = Time.CivilTime.FloorDiv(micros[i] + offset, Time.CivilTime.MicrosPerDay);
                if (day != lastDay)
                {
                    lastDay = day;
                    lastLength = formatter.Format(micros[i], zone, last);
                }

                result.Append(last[..lastLength]);
            }

            return result.Build(Apache.Arrow.Types.StringType.Default);
        }
    }
}
