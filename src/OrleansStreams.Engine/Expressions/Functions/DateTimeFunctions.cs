using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// Date and time functions, in the session time zone where Spark uses it: timestamps are UTC
/// microseconds, dates are days since the epoch, and a field of a timestamp (year, hour…) is read from
/// its local time in the session zone.
/// </summary>
internal static class DateTimeFunctions
{
    private const long MicrosPerDay = CivilTime.MicrosPerDay;
    private const long MicrosPerSecond = CivilTime.MicrosPerSecond;
    private const string DefaultPattern = "yyyy-MM-dd HH:mm:ss";

    public static IEnumerable<FunctionDefinition> All() =>
    [
        DateField("year", (y, m, d) => y),
        DateField("month", (y, m, d) => m),
        DateField("dayofmonth", (y, m, d) => d),
        DateField("day", (y, m, d) => d),
        TimeField("hour", micros => (int)(micros / 3_600_000_000)),
        TimeField("minute", micros => (int)(micros / 60_000_000 % 60)),
        TimeField("second", micros => (int)(micros / MicrosPerSecond % 60)),
        new LambdaFunction("to_date", 1, 2, ToDate),
        new LambdaFunction("to_timestamp", 1, 2, ToTimestamp),
        new LambdaFunction("unix_timestamp", 0, 2, UnixTimestamp),
        new LambdaFunction("from_unixtime", 1, 2, FromUnixtime),
        new LambdaFunction("current_timestamp", 0, 0, (call, _, _) => new BoundLiteral(NowMicros(), TimestampType.Instance, call.Sql)),
        new LambdaFunction("now", 0, 0, (call, _, _) => new BoundLiteral(NowMicros(), TimestampType.Instance, call.Sql)),
        new LambdaFunction("current_date", 0, 0, (call, _, context) => new BoundLiteral(LocalDays(NowMicros(), context.Session.Zone), DateType.Instance, call.Sql)),
        new LambdaFunction("date_trunc", 2, 2, DateTrunc),
        new LambdaFunction("date_add", 2, 2, (call, args, context) => AddDays(call, args, context, +1)),
        new LambdaFunction("date_sub", 2, 2, (call, args, context) => AddDays(call, args, context, -1)),
        new LambdaFunction("datediff", 2, 2, DateDiff),
    ];

    /// <summary>The instant a query is analyzed: every current_timestamp() of the query sees the same value.</summary>
    private static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private static int LocalDays(long utcMicros, ZoneRules zone) => (int)CivilTime.FloorDiv(utcMicros + zone.OffsetAt(utcMicros), MicrosPerDay);

    /// <summary>year/month/day of a date, or of a timestamp's local date (strings are cast to dates).</summary>
    private static LambdaFunction DateField(string name, Func<int, int, int, int> pick) => new(name, 1, 1, (call, args, context) =>
    {
        var zone = context.Session.Zone;
        if (args[0].Type is TimestampType or TimestampNtzType)
        {
            var ntz = args[0].Type is TimestampNtzType;
            return new ComputedExpression(IntegerType.Instance, args[0].Nullable, call.Sql, [args[0]], (a, _) =>
                Kernels.Map(a[0], IntegerType.Instance, (long micros, out int r) =>
                {
                    CivilTime.FromDays(ntz ? CivilTime.FloorDiv(micros, MicrosPerDay) : LocalDays(micros, zone), out var y, out var m, out var d);
                    r = pick(y, m, d);
                    return true;
                }));
        }

        var date = context.Coerce(call, args[0], DateType.Instance, 1);
        return new ComputedExpression(IntegerType.Instance, true, call.Sql, [date], (a, _) =>
            Kernels.Map(a[0], IntegerType.Instance, (int days, out int r) =>
            {
                CivilTime.FromDays(days, out var y, out var m, out var d);
                r = pick(y, m, d);
                return true;
            }));
    });

    /// <summary>hour/minute/second of a timestamp's local time.</summary>
    private static LambdaFunction TimeField(string name, Func<long, int> pick) => new(name, 1, 1, (call, args, context) =>
    {
        var zone = context.Session.Zone;
        var ts = args[0].Type is TimestampNtzType ? args[0] : context.Coerce(call, args[0], TimestampType.Instance, 1);
        var ntz = ts.Type is TimestampNtzType;
        return new ComputedExpression(IntegerType.Instance, true, call.Sql, [ts], (a, _) =>
            Kernels.Map(a[0], IntegerType.Instance, (long micros, out int r) =>
            {
                var local = ntz ? micros : micros + zone.OffsetAt(micros);
                r = pick(CivilTime.FloorMod(local, MicrosPerDay));
                return true;
            }));
    });

    private static BoundExpression ToDate(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        if (args.Count == 1)
        {
            return context.Coerce(call, args[0], DateType.Instance, 1);
        }

        var parsed = ParseWithPattern(call, args, context);
        var zone = context.Session.Zone;
        return new ComputedExpression(DateType.Instance, true, call.Sql, [parsed], (a, _) =>
            Kernels.Map(a[0], DateType.Instance, (long micros, out int days) =>
            {
                days = LocalDays(micros, zone);
                return true;
            }));
    }

    private static BoundExpression ToTimestamp(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context) =>
        args.Count == 1 ? context.Coerce(call, args[0], TimestampType.Instance, 1) : ParseWithPattern(call, args, context);

    /// <summary>unix_timestamp(): now; unix_timestamp(ts | date | string[, pattern]): seconds since the epoch.</summary>
    private static BoundExpression UnixTimestamp(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        if (args.Count == 0)
        {
            return new BoundLiteral(NowMicros() / MicrosPerSecond, LongType.Instance, call.Sql);
        }

        var ts = args[0].Type is StringType
            ? ParseWithPattern(call, args.Count == 2 ? args : [args[0], new BoundLiteral(DefaultPattern, StringType.Instance, $"'{DefaultPattern}'")], context)
            : context.Coerce(call, args[0], TimestampType.Instance, 1);
        return new ComputedExpression(LongType.Instance, true, call.Sql, [ts], (a, _) =>
            Kernels.Map(a[0], LongType.Instance, (long micros, out long seconds) =>
            {
                seconds = CivilTime.FloorDiv(micros, MicrosPerSecond);
                return true;
            }));
    }

    /// <summary>from_unixtime(seconds[, pattern]): the instant formatted in the session zone.</summary>
    private static BoundExpression FromUnixtime(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var seconds = context.Coerce(call, args[0], LongType.Instance, 1);
        var pattern = args.Count == 2 ? Kernels.Constant<string>(call, context.Coerce(call, args[1], StringType.Instance, 2), 2, "the pattern") : DefaultPattern;
        var formatter = Compile(call, () => DateTimeFormatter.Compile(pattern));
        var zone = context.Session.Zone;
        return new ComputedExpression(StringType.Instance, true, call.Sql, [seconds], (a, n) =>
        {
            var values = Columns.Values<long>(a[0]);
            var output = new Utf8Column(n, n * 20);
            for (var i = 0; i < n; i++)
            {
                if (a[0].IsNull(i))
                {
                    output.AppendNull();
                    continue;
                }

                output.Advance(formatter.Format(values[i] * MicrosPerSecond, zone, output.GetSpan(formatter.MaxLength)));
                output.EndRow();
            }

            return output.Build(Apache.Arrow.Types.StringType.Default);
        });
    }

    /// <summary>A string read with a constant Spark pattern into a timestamp; text that does not match is NULL.</summary>
    private static BoundExpression ParseWithPattern(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        if (args[0].Type is not StringType)
        {
            return context.Coerce(call, args[0], TimestampType.Instance, 1); // a date or timestamp needs no pattern
        }

        var pattern = Kernels.Constant<string>(call, context.Coerce(call, args[1], StringType.Instance, 2), 2, "the pattern");
        var parser = Compile(call, () => SparkPatternParser.Compile(pattern));
        var zone = context.Session.Zone;
        return new ComputedExpression(TimestampType.Instance, true, call.Sql, [args[0]], (a, _) =>
            Kernels.MapBytesTo(a[0], TimestampType.Instance, (ReadOnlyMemory<byte> text, out long micros) =>
                parser.TryParse(Encoding.UTF8.GetString(text.Span), zone, out micros)));
    }

    /// <summary>date_trunc(unit, ts): the local time cut to the unit, as a timestamp.</summary>
    private static BoundExpression DateTrunc(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var unit = Kernels.Constant<string>(call, context.Coerce(call, args[0], StringType.Instance, 1), 1, "the unit").ToLowerInvariant();
        var ts = context.Coerce(call, args[1], TimestampType.Instance, 2);
        var zone = context.Session.Zone;
        Func<long, long> truncLocal = unit switch
        {
            "year" or "yyyy" or "yy" => local => StartOfMonth(local, months => months - (months % 12)),
            "quarter" => local => StartOfMonth(local, months => months - (months % 3)),
            "month" or "mon" or "mm" => local => StartOfMonth(local, months => months),
            "week" => local =>
            {
                var days = CivilTime.FloorDiv(local, MicrosPerDay);
                return (days - (CivilTime.DayOfWeek(days) - 1)) * MicrosPerDay; // back to Monday (ISO day 1)
            }
            ,
            "day" or "dd" => local => local - CivilTime.FloorMod(local, MicrosPerDay),
            "hour" => local => local - CivilTime.FloorMod(local, 3_600_000_000),
            "minute" => local => local - CivilTime.FloorMod(local, 60_000_000),
            "second" => local => local - CivilTime.FloorMod(local, MicrosPerSecond),
            "millisecond" => local => local - CivilTime.FloorMod(local, 1000),
            "microsecond" => local => local,
            _ => throw AnalysisException.Mismatch(call, $"the unit '{unit}' is not one of year, quarter, month, week, day, hour, minute, second, millisecond, microsecond."),
        };
        return new ComputedExpression(TimestampType.Instance, true, call.Sql, [ts], (a, _) =>
            Kernels.Map(a[0], TimestampType.Instance, (long micros, out long result) =>
            {
                result = zone.ToUtc(truncLocal(micros + zone.OffsetAt(micros)));
                return true;
            }));
    }

    private static long StartOfMonth(long localMicros, Func<int, int> monthIndex)
    {
        CivilTime.FromDays(CivilTime.FloorDiv(localMicros, MicrosPerDay), out var y, out var m, out _);
        var index = monthIndex(m - 1);
        return CivilTime.ToDays(y, index + 1, 1) * MicrosPerDay;
    }

    private static BoundExpression AddDays(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context, int sign)
    {
        var date = context.Coerce(call, args[0], DateType.Instance, 1);
        if (!args[1].Type.IsIntegral && args[1].Type is not NullType)
        {
            throw AnalysisException.Mismatch(call, $"the second parameter requires an integer type, however \"{args[1].Sql}\" has the type \"{args[1].Type.SimpleString.ToUpperInvariant()}\".");
        }

        var days = context.Cast(args[1], IntegerType.Instance);
        return new ComputedExpression(DateType.Instance, true, call.Sql, [date, days], (a, _) =>
            Kernels.Map2(a[0], a[1], DateType.Instance, (int d, int n, out int r) =>
            {
                r = d + (sign * n);
                return true;
            }));
    }

    private static BoundExpression DateDiff(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var end = context.Coerce(call, args[0], DateType.Instance, 1);
        var start = context.Coerce(call, args[1], DateType.Instance, 2);
        return new ComputedExpression(IntegerType.Instance, true, call.Sql, [end, start], (a, _) =>
            Kernels.Map2(a[0], a[1], IntegerType.Instance, (int e, int s, out int r) =>
            {
                r = e - s;
                return true;
            }));
    }

    private static T Compile<T>(FunctionCall call, Func<T> compile)
    {
        try
        {
            return compile();
        }
        catch (FormatException e)
        {
            throw AnalysisException.Mismatch(call, e.Message);
        }
    }
}
