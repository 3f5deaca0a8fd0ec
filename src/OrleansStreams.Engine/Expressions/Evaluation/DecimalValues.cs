using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// Conversions between Arrow's Decimal128 (a 128-bit unscaled integer) and <see cref="decimal"/>,
/// which the evaluator computes with. Values beyond <see cref="decimal"/>'s 28 digits are not supported.
/// </summary>
public static class DecimalValues
{
    private static readonly Int128[] PowersOfTen = BuildPowers();

    /// <summary>The column's values as <see cref="decimal"/>s (null slots hold 0).</summary>
    public static decimal[] Read(IArrowArray array)
    {
        var data = array.Data;
        var scale = ((Apache.Arrow.Types.Decimal128Type)data.DataType).Scale;
        var raw = MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span).Slice(data.Offset, data.Length);
        var validity = new Validity(array);
        var result = new decimal[data.Length];
        for (var i = 0; i < result.Length; i++)
        {
            if (validity.IsValid(i))
            {
                result[i] = ToDecimal(raw[i], scale);
            }
        }

        return result;
    }

    public static decimal ToDecimal(Int128 unscaled, int scale)
    {
        var negative = unscaled < 0;
        var magnitude = (UInt128)(negative ? -unscaled : unscaled);
        if (magnitude >> 96 != 0 || scale > 28)
        {
            throw new OverflowException($"decimal value with unscaled {unscaled} and scale {scale} exceeds the 28 digits the evaluator supports");
        }

        var lo = (int)(uint)magnitude;
        var mid = (int)(uint)(magnitude >> 32);
        var hi = (int)(uint)(magnitude >> 64);
        return new decimal(lo, mid, hi, negative, (byte)scale);
    }

    /// <summary>
    /// The unscaled value of <paramref name="value"/> at the type's scale (rounded half up), or
    /// false when it needs more digits than the type's precision (Spark then yields NULL).
    /// </summary>
    public static bool TryToUnscaled(decimal value, DecimalType type, out Int128 unscaled)
    {
        if (type.Scale < value.Scale)
        {
            value = decimal.Round(value, type.Scale, MidpointRounding.AwayFromZero);
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        magnitude *= PowersOfTen[type.Scale - scale];
        unscaled = value < 0 ? -magnitude : magnitude;
        return magnitude < PowersOfTen[type.Precision];
    }

    public static int Digits(Int128 magnitude)
    {
        var digits = 1;
        while (digits < PowersOfTen.Length && magnitude >= PowersOfTen[digits])
        {
            digits++;
        }

        return digits;
    }

    private static Int128[] BuildPowers()
    {
        var powers = new Int128[39];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
