using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// String functions on UTF-8 columns: trim, substring, concat_ws, split and the regexp functions.
/// Positions count characters (code points) as Spark does. Regular expressions must be constants:
/// they are compiled once per query.
/// </summary>
internal static class StringFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        Trim("trim", start: true, end: true),
        Trim("ltrim", start: true, end: false),
        Trim("rtrim", start: false, end: true),
        new LambdaFunction("substring", 2, 3, Substring),
        new LambdaFunction("substr", 2, 3, Substring),
        new LambdaFunction("concat_ws", 1, int.MaxValue, ConcatWs),
        new LambdaFunction("split", 2, 3, Split),
        new LambdaFunction("regexp_extract", 2, 3, RegexpExtract),
        new LambdaFunction("regexp_replace", 3, 3, RegexpReplace),
    ];

    /// <summary>Removes leading and/or trailing spaces (only ' ', as Spark's default trim does).</summary>
    private static LambdaFunction Trim(string name, bool start, bool end) => new(name, 1, 1, (call, args, context) =>
    {
        var text = context.Coerce(call, args[0], StringType.Instance, 1);
        return new ComputedExpression(StringType.Instance, text.Nullable, call.Sql, [text], (a, _) =>
            Kernels.MapBytes(a[0], StringType.Instance, (value, output) =>
            {
                var trimmed = start ? value.TrimStart((byte)' ') : value;
                output.Write(end ? trimmed.TrimEnd((byte)' ') : trimmed);
                return true;
            }));
    });

    /// <summary>substring(str, pos[, len]): pos is 1-based (0 acts as 1, negative counts from the end).</summary>
    private static BoundExpression Substring(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var text = context.Coerce(call, args[0], StringType.Instance, 1);
        var pos = context.Coerce(call, args[1], IntegerType.Instance, 2);
        var len = args.Count == 3 ? context.Coerce(call, args[2], IntegerType.Instance, 3) : new BoundLiteral(int.MaxValue, IntegerType.Instance, "2147483647");
        return new ComputedExpression(StringType.Instance, true, call.Sql, [text, pos, len], (a, n) =>
        {
            var strings = (StringArray)a[0];
            var starts = Columns.Values<int>(a[1]);
            var lengths = Columns.Values<int>(a[2]);
            var output = new Utf8Column(n, strings.ValueBuffer.Length);
            for (var i = 0; i < n; i++)
            {
                if (strings.IsNull(i) || a[1].IsNull(i) || a[2].IsNull(i))
                {
                    output.AppendNull();
                    continue;
                }

                output.Write(Slice(strings.GetBytes(i), starts[i], lengths[i]));
                output.EndRow();
            }

            return output.Build(Apache.Arrow.Types.StringType.Default);
        });
    }

    /// <summary>The UTF-8 bytes of characters [pos, pos + len) with Spark's position rules.</summary>
    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> utf8, int pos, int len)
    {
        var chars = CountChars(utf8);
        long start = pos > 0 ? pos - 1 : pos < 0 ? chars + pos : 0;
        long stop = len < 0 ? start : start + len;
        start = Math.Clamp(start, 0, chars);
        stop = Math.Clamp(stop, start, chars);
        var from = ByteOffset(utf8, (int)start);
        return utf8[from..(from + ByteOffset(utf8[from..], (int)(stop - start)))];
    }

    private static int CountChars(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            count += (b & 0xC0) == 0x80 ? 0 : 1;
        }

        return count;
    }

    private static int ByteOffset(ReadOnlySpan<byte> utf8, int chars)
    {
        var at = 0;
        for (var seen = 0; at < utf8.Length; at++)
        {
            if ((utf8[at] & 0xC0) != 0x80 && seen++ == chars)
            {
                return at;
            }
        }

        return utf8.Length;
    }

    /// <summary>concat_ws(sep, str | array&lt;string&gt;, …): NULL inputs are skipped; a NULL separator gives NULL.</summary>
    private static BoundExpression ConcatWs(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var sep = context.Coerce(call, args[0], StringType.Instance, 1);
        var parts = args.Skip(1).Select((p, i) => p.Type is ArrayType { ElementType: StringType } ? p : context.Coerce(call, p, StringType.Instance, i + 2)).ToList();
        return new ComputedExpression(StringType.Instance, sep.Nullable, call.Sql, [sep, .. parts], (a, n) =>
        {
            var separators = (StringArray)a[0];
            var output = new Utf8Column(n);
            for (var i = 0; i < n; i++)
            {
                if (separators.IsNull(i))
                {
                    output.AppendNull();
                    continue;
                }

                var first = true;
                for (var k = 1; k < a.Length; k++)
                {
                    if (a[k].IsNull(i))
                    {
                        continue;
                    }

                    if (a[k] is ListArray list)
                    {
                        var items = (StringArray)list.Values;
                        for (var e = list.ValueOffsets[i]; e < list.ValueOffsets[i + 1]; e++)
                        {
                            if (!items.IsNull(e))
                            {
                                Append(output, separators.GetBytes(i), items.GetBytes(e), ref first);
                            }
                        }
                    }
                    else
                    {
                        Append(output, separators.GetBytes(i), ((StringArray)a[k]).GetBytes(i), ref first);
                    }
                }

                output.EndRow();
            }

            return output.Build(Apache.Arrow.Types.StringType.Default);
        });
    }

    private static void Append(Utf8Column output, ReadOnlySpan<byte> separator, ReadOnlySpan<byte> value, ref bool first)
    {
        if (!first)
        {
            output.Write(separator);
        }

        output.Write(value);
        first = false;
    }

    /// <summary>split(str, regex[, limit]): an array of the pieces; limit &gt; 0 caps the count, the last piece keeping the rest.</summary>
    private static BoundExpression Split(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var text = context.Coerce(call, args[0], StringType.Instance, 1);
        var regex = CompileRegex(call, context.Coerce(call, args[1], StringType.Instance, 2), 2);
        var limit = args.Count == 3 ? Kernels.Constant<int>(call, context.Cast(args[2], IntegerType.Instance), 3, "the limit") : -1;
        var type = new ArrayType(StringType.Instance, ContainsNull: false);
        return new ComputedExpression(type, true, call.Sql, [text], (a, n) =>
        {
            var strings = (StringArray)a[0];
            var rows = new object?[n];
            for (var i = 0; i < n; i++)
            {
                rows[i] = strings.IsNull(i) ? null : SplitOne(regex, strings.GetString(i), limit);
            }

            return Columns.FromScalars(type, rows);
        });
    }

    private static object?[] SplitOne(Regex regex, string text, int limit)
    {
        var pieces = new List<object?>();
        var start = 0;
        foreach (Match match in regex.Matches(text))
        {
            if (limit > 0 && pieces.Count == limit - 1)
            {
                break;
            }

            if (match.Length == 0 && (match.Index == 0 || match.Index >= text.Length))
            {
                continue; // Java's split ignores a zero-width match at either end
            }

            pieces.Add(text[start..match.Index]);
            start = match.Index + match.Length;
        }

        pieces.Add(text[start..]);
        return pieces.ToArray();
    }

    /// <summary>regexp_extract(str, regex[, group]): the group of the first match, '' when nothing matches.</summary>
    private static BoundExpression RegexpExtract(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var text = context.Coerce(call, args[0], StringType.Instance, 1);
        var regex = CompileRegex(call, context.Coerce(call, args[1], StringType.Instance, 2), 2);
        var group = args.Count == 3 ? Kernels.Constant<int>(call, context.Cast(args[2], IntegerType.Instance), 3, "the group index") : 1;
        if (group < 0 || group > regex.GetGroupNumbers().Max())
        {
            throw AnalysisException.Mismatch(call, $"the regex has {regex.GetGroupNumbers().Max()} group(s), but group index {group} was requested.");
        }

        return new ComputedExpression(StringType.Instance, text.Nullable, call.Sql, [text], (a, _) =>
            Kernels.MapBytes(a[0], StringType.Instance, (value, output) =>
            {
                var match = regex.Match(Encoding.UTF8.GetString(value));
                output.Write(Encoding.UTF8.GetBytes(match.Success ? match.Groups[group].Value : string.Empty));
                return true;
            }));
    }

    /// <summary>regexp_replace(str, regex, replacement): every match replaced; $1 names a group as in Java.</summary>
    private static BoundExpression RegexpReplace(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var text = context.Coerce(call, args[0], StringType.Instance, 1);
        var regex = CompileRegex(call, context.Coerce(call, args[1], StringType.Instance, 2), 2);
        var replacement = Kernels.Constant<string>(call, context.Coerce(call, args[2], StringType.Instance, 3), 3, "the replacement");
        return new ComputedExpression(StringType.Instance, text.Nullable, call.Sql, [text], (a, _) =>
            Kernels.MapBytes(a[0], StringType.Instance, (value, output) =>
            {
                output.Write(Encoding.UTF8.GetBytes(regex.Replace(Encoding.UTF8.GetString(value), replacement)));
                return true;
            }));
    }

    private static Regex CompileRegex(FunctionCall call, BoundExpression pattern, int position)
    {
        var text = Kernels.Constant<string>(call, pattern, position, "the regular expression");
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw AnalysisException.Mismatch(call, $"the regular expression '{text}' is invalid: {e.Message}");
        }
    }
}
