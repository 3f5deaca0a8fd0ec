using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary><c>length(s)</c>: characters (code points) of a string, bytes of a binary.</summary>
internal sealed class LengthFunction(string name) : FunctionDefinition(name, 1, 1)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context)
    {
        var argument = arguments[0].Type is BinaryType ? arguments[0] : context.Coerce(call, arguments[0], StringType.Instance, 1);
        return new LengthExpression(argument, call.Sql);
    }

    private sealed class LengthExpression(BoundExpression child, string sql) : BoundExpression(IntegerType.Instance, child.Nullable, sql)
    {
        public override IReadOnlyList<BoundExpression> Children => [child];

        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var input = (BinaryArray)child.Evaluate(batch);
            var countBytes = child.Type is BinaryType;
            var result = new PrimitiveColumn<int>(input.Length);
            var output = result.Values;
            for (var i = 0; i < input.Length; i++)
            {
                if (input.IsNull(i))
                {
                    result.SetNull(i);
                    continue;
                }

                var bytes = input.GetBytes(i);
                var count = bytes.Length;
                if (!countBytes)
                {
                    foreach (var b in bytes)
                    {
                        count -= (b & 0xC0) == 0x80 ? 1 : 0; // continuation bytes do not start a character
                    }
                }

                output[i] = count;
            }

            return result.Build(Apache.Arrow.Types.Int32Type.Default);
        }
    }
}
