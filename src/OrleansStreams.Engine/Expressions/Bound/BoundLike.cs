using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>
/// LIKE (whole-value match of <c>%</c>, <c>_</c>, <c>\</c> escapes) and RLIKE (regex found anywhere).
/// A constant pattern compiles once; rows are decoded into a reused char buffer, so matching allocates nothing.
/// </summary>
public sealed class BoundLike : BoundExpression
{
    private readonly BoundExpression _value;
    private readonly BoundExpression _pattern;
    private readonly LikeKind _kind;
    private readonly Regex? _constant;

    public BoundLike(BoundExpression value, BoundExpression pattern, LikeKind kind, string sql)
        : base(BooleanType.Instance, value.Nullable || pattern.Nullable, sql)
    {
        _value = value;
        _pattern = pattern;
        _kind = kind;
        if (pattern is BoundLiteral { Value: string text })
        {
            _constant = Compile(text, kind);
        }
    }

    public override IReadOnlyList<BoundExpression> Children => [_value, _pattern];

    /// <summary>Translates a LIKE pattern to an anchored regex; throws <see cref="ArgumentException"/> on a dangling escape.</summary>
    public static string LikeToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (++i >= pattern.Length)
                {
                    throw new ArgumentException($"the escape character is not allowed to end the LIKE pattern '{pattern}'");
                }

                regex.Append(Regex.Escape(pattern[i].ToString()));
            }
            else
            {
                regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return regex.Append('$').ToString();
    }

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var values = (BinaryArray)_value.Evaluate(batch);
        var patterns = _constant is null ? (BinaryArray)_pattern.Evaluate(batch) : null;
        var result = new BooleanColumn(values.Length);
        var buffer = ArrayPool<char>.Shared.Rent(256);
        try
        {
            Regex? current = null;
            string? currentText = null;
            for (var i = 0; i < values.Length; i++)
            {
                if (values.IsNull(i) || (patterns is not null && patterns.IsNull(i)))
                {
                    result.SetNull(i);
                    continue;
                }

                var regex = _constant;
                if (regex is null)
                {
                    var text = Encoding.UTF8.GetString(patterns!.GetBytes(i)); // a per-row pattern: rare, compiled when it changes
                    if (text != currentText)
                    {
                        current = Compile(text, _kind);
                        currentText = text;
                    }

                    regex = current!;
                }

                var bytes = values.GetBytes(i);
                if (buffer.Length < bytes.Length)
                {
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(bytes.Length);
                }

                var chars = Encoding.UTF8.GetChars(bytes, buffer);
                result.Set(i, regex.IsMatch(buffer.AsSpan(0, chars)));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        return result.Build();
    }

    private static Regex Compile(string pattern, LikeKind kind) =>
        new(kind == LikeKind.Like ? LikeToRegex(pattern) : pattern, (kind == LikeKind.Like ? RegexOptions.Singleline : RegexOptions.None) | RegexOptions.CultureInvariant);
}
