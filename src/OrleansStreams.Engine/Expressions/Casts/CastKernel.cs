using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Casts;

/// <summary>Evaluates CAST over a column: picks the conversion for the (from, to) pair.</summary>
public static class CastKernel
{
    public static IArrowArray Cast(IArrowArray source, DataType from, DataType to, ZoneRules zone)
    {
        if (from.Equals(to))
        {
            return source;
        }

        if (from is NullType)
        {
            return Columns.AllNull(to, source.Length);
        }

        return (from, to) switch
        {
            (_, StringType) => StringCasts.ToStringColumn(source, from, zone),
            (StringType, _) => StringCasts.FromStringColumn(source, to, zone),
            (DateType or TimestampType or TimestampNtzType, DateType or TimestampType or TimestampNtzType) => DateTimes(source, from, to, zone),
            _ => NumericCasts.Cast(source, from, to),
        };
    }

    /// <summary>Date ↔ timestamp: midnight and local dates are taken in the session zone; timestamp_ntz is wall-clock time.</summary>
    private static IArrowArray DateTimes(IArrowArray source, DataType from, DataType to, ZoneRules zone)
    {
        var n = source.Length;
        var valid = new Validity(source);
        var result = to is DateType ? (object)new PrimitiveColumn<int>(n) : new PrimitiveColumn<long>(n);
        for (var i = 0; i < n; i++)
        {
            long local; // wall-clock microseconds
            if (from is DateType)
            {
                local = Columns.Values<int>(source)[i] * CivilTime.MicrosPerDay;
            }
            else
            {
                var micros = Columns.Values<long>(source)[i];
                local = from is TimestampType ? micros + zone.OffsetAt(micros) : micros;
            }

            if (result is PrimitiveColumn<int> dates)
            {
                dates.Values[i] = (int)CivilTime.FloorDiv(local, CivilTime.MicrosPerDay);
                if (!valid.IsValid(i))
                {
                    dates.SetNull(i);
                }
            }
            else
            {
                var stamps = (PrimitiveColumn<long>)result;
                stamps.Values[i] = valid.IsValid(i) ? (to is TimestampType ? zone.ToUtc(local) : local) : 0;
                if (!valid.IsValid(i))
                {
                    stamps.SetNull(i);
                }
            }
        }

        return result is PrimitiveColumn<int> d ? d.Build(ArrowTypes.ToArrow(to)) : ((PrimitiveColumn<long>)result).Build(ArrowTypes.ToArrow(to));
    }
}
