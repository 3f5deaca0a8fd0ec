using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// A string → string function applied row by row on UTF-8 bytes. ASCII rows go through
/// the character map in place; other rows are decoded, mapped and re-encoded.
/// </summary>
internal sealed class StringMapExpression(BoundExpression child, Func<char, char> mapChar, string sql)
    : BoundExpression(StringType.Instance, child.Nullable, sql)
{
    public override IReadOnlyList<BoundExpression> Children => [child];

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var input = (BinaryArray)child.Evaluate(batch);
        var result = new Utf8Column(input.Length, input.ValueOffsets.IsEmpty ? 0 : input.ValueOffsets[^1] - input.ValueOffsets[0]);
        for (var i = 0; i < input.Length; i++)
        {
            if (input.IsNull(i))
            {
                result.AppendNull();
                continue;
            }

            var bytes = input.GetBytes(i);
            if (System.Text.Ascii.IsValid(bytes))
            {
                var dest = result.GetSpan(bytes.Length);
                for (var j = 0; j < bytes.Length; j++)
                {
                    dest[j] = (byte)mapChar((char)bytes[j]);
                }

                result.Advance(bytes.Length);
            }
            else
            {
                var text = Encoding.UTF8.GetString(bytes).ToCharArray();
                for (var j = 0; j < text.Length; j++)
                {
                    text[j] = mapChar(text[j]);
                }

                result.Write(Encoding.UTF8.GetBytes(text));
            }

            result.EndRow();
        }

        return result.Build(Apache.Arrow.Types.StringType.Default);
    }
}
