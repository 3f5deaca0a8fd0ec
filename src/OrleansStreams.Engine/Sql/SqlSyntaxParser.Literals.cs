using System.Globalization;
using System.Numerics;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Sql;

// Literals typed the Spark way: 1 int, 1L bigint, 1S smallint, 1Y tinyint, 10000000000 bigint,
// 1.5 decimal(2,1), 1.5D / 1e3 double, 1.5F float, 1.5BD decimal, X'0A' binary, DATE '…', TIMESTAMP '…'.
internal sealed partial class SqlSyntaxParser
{
    private static readonly DateOnly UnixEpochDate = new(1970, 1, 1);

    private static readonly string[] TimestampFormats = BuildTimestampFormats();

    private Literal ParseNumber(SqlToken token, bool negative)
    {
        var text = token.Text;
        var upper = text.ToUpperInvariant();
        var suffix = upper.EndsWith("BD", StringComparison.Ordinal) ? "BD"
            : upper[^1] is 'L' or 'S' or 'Y' or 'D' or 'F' ? upper[^1..] : string.Empty;
        var body = (negative ? "-" : string.Empty) + text[..^suffix.Length];
        var isIntegral = body.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
        var shown = (negative ? "-" : string.Empty) + text;
        var invariant = CultureInfo.InvariantCulture;

        Literal? literal = suffix switch
        {
            "L" when isIntegral && long.TryParse(body, invariant, out var l) => new Literal(l, LongType.Instance),
            "S" when isIntegral && short.TryParse(body, invariant, out var s) => new Literal(s, ShortType.Instance),
            "Y" when isIntegral && sbyte.TryParse(body, invariant, out var y) => new Literal(y, ByteType.Instance),
            "D" when double.TryParse(body, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) => new Literal(d, DoubleType.Instance),
            "F" when float.TryParse(body, NumberStyles.Float, invariant, out var f) && float.IsFinite(f) => new Literal(f, FloatType.Instance),
            "BD" => DecimalLiteral(body),
            "" when isIntegral && int.TryParse(body, invariant, out var i) => new Literal(i, IntegerType.Instance),
            "" when isIntegral && long.TryParse(body, invariant, out var l) => new Literal(l, LongType.Instance),
            "" when isIntegral => DecimalLiteral(body),
            "" when body.AsSpan().IndexOfAny('e', 'E') >= 0 && double.TryParse(body, NumberStyles.Float, invariant, out var d) && double.IsFinite(d)
                => new Literal(d, DoubleType.Instance),
            "" when body.AsSpan().IndexOfAny('e', 'E') < 0 => DecimalLiteral(body),
            _ => null,
        };

        return literal ?? throw ErrorAt(token, $"[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal {shown} is outside the range of {SuffixType(suffix)} or malformed");
    }

    private static string SuffixType(string suffix) => suffix switch
    {
        "L" => "bigint",
        "S" => "smallint",
        "Y" => "tinyint",
        "D" => "double",
        "F" => "float",
        _ => "decimal(38,*)",
    };

    /// <summary>A decimal typed by its digits, as Spark does: 1.50 is decimal(3,2), 0.05 is decimal(2,2).</summary>
    private static Literal? DecimalLiteral(string body)
    {
        if (!decimal.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var bits = decimal.GetBits(value);
        var unscaled = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = value.Scale;
        var precision = Math.Max(unscaled.ToString(CultureInfo.InvariantCulture).Length, scale);
        return precision > DecimalType.MaxPrecision ? null : new Literal(value, new DecimalType(precision, scale));
    }

    private Literal ParseBinary(SqlToken token)
    {
        var hex = token.Text.Length % 2 == 1 ? "0" + token.Text : token.Text;
        try
        {
            return new Literal(Convert.FromHexString(hex), BinaryType.Instance);
        }
        catch (FormatException)
        {
            throw ErrorAt(token, $"[INVALID_TYPED_LITERAL] X'{token.Text}' is not a valid binary literal: expected hexadecimal digits");
        }
    }

    /// <summary>
    /// <c>DATE '…'</c> and <c>TIMESTAMP_NTZ '…'</c> become literals here (they do not depend on a time zone).
    /// <c>TIMESTAMP '…'</c> / <c>TIMESTAMP_LTZ '…'</c> mean a wall-clock time in the session time zone, which
    /// only the analyzer knows, so they become <c>CAST('…' AS TIMESTAMP)</c>. <c>INTERVAL</c> is refused.
    /// Returns null when the word is not a typed-literal keyword.
    /// </summary>
    private Expression? ParseTypedLiteral(SqlToken keyword, SqlToken value)
    {
        var kind = keyword.Text.ToUpperInvariant();
        if (kind is not ("DATE" or "TIMESTAMP" or "TIMESTAMP_LTZ" or "TIMESTAMP_NTZ" or "INTERVAL"))
        {
            return null;
        }

        if (kind == "INTERVAL")
        {
            throw ErrorAt(keyword, "[UNSUPPORTED_FEATURE] INTERVAL literals are not supported yet");
        }

        Advance();
        var text = ExpectString("string");
        switch (kind)
        {
            case "DATE":
                return TryParseDate(text, out var date)
                    ? new Literal(date.DayNumber - UnixEpochDate.DayNumber, DateType.Instance)
                    : throw ErrorAt(value, $"[INVALID_TYPED_LITERAL] The value of the typed literal DATE is invalid: '{text}'");
            case "TIMESTAMP_NTZ":
                return DateTime.TryParseExact(text.Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp)
                    ? new Literal((timestamp.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond, TimestampNtzType.Instance)
                    : throw ErrorAt(value, $"[INVALID_TYPED_LITERAL] The value of the typed literal TIMESTAMP_NTZ is invalid: '{text}'");
            default:
                return new CastExpression(new Literal(text, StringType.Instance), TimestampType.Instance);
        }
    }

    /// <summary>Spark's date forms: <c>yyyy</c>, <c>yyyy-[m]m</c>, <c>yyyy-[m]m-[d]d</c>, optionally followed by a time part that is ignored.</summary>
    private static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        var trimmed = text.Trim();
        var cut = trimmed.IndexOfAny([' ', 'T']);
        var parts = (cut < 0 ? trimmed : trimmed[..cut]).Split('-');
        var numbers = new int[] { 0, 1, 1 };
        if (parts.Length > 3)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is 0 or > 4 || (i > 0 && parts[i].Length > 2) || !parts[i].All(char.IsAsciiDigit))
            {
                return false;
            }

            numbers[i] = int.Parse(parts[i], CultureInfo.InvariantCulture);
        }

        if (numbers[0] < 1 || numbers[1] is < 1 or > 12 || numbers[2] < 1 || numbers[2] > DateTime.DaysInMonth(numbers[0], numbers[1]))
        {
            return false;
        }

        date = new DateOnly(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    private static string[] BuildTimestampFormats()
    {
        var formats = new List<string>();
        foreach (var separator in new[] { " ", "'T'" })
        {
            formats.Add($"yyyy-M-d{separator}H:m");
            formats.Add($"yyyy-M-d{separator}H:m:s");
            formats.Add($"yyyy-M-d{separator}H:m:s.FFFFFFF");
        }

        formats.Add("yyyy-M-d");
        return formats.ToArray();
    }
}
