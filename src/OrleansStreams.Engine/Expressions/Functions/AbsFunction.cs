using System.Numerics;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary><c>abs(x)</c>: same type as x; abs(int.MinValue) wraps to itself, as in Java.</summary>
internal sealed class AbsFunction() : FunctionDefinition("abs", 1, 1)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context)
    {
        var argument = arguments[0].Type.IsNumeric ? arguments[0] : context.Coerce(call, arguments[0], DoubleType.Instance, 1);
        return new AbsExpression(argument, call.Sql);
    }

    private sealed class AbsExpression(BoundExpression child, string sql) : BoundExpression(child.Type, child.Nullable, sql)
    {
        public override IReadOnlyList<BoundExpression> Children => [child];

        public override IArrowArray Evaluate(RecordBatch batch)
        {
            var input = child.Evaluate(batch);
            return Type switch
            {
                ByteType => Abs<sbyte>(input),
                ShortType => Abs<short>(input),
                IntegerType => Abs<int>(input),
                LongType => Abs<long>(input),
                FloatType => Abs<float>(input),
                DoubleType => Abs<double>(input),
                DecimalType d => AbsDecimal(input, d),
                _ => throw new NotSupportedException($"abs of {Type.SimpleString}"),
            };
        }

        private IArrowArray Abs<T>(IArrowArray input)
            where T : unmanaged, INumber<T>
        {
            var values = Columns.Values<T>(input);
            var validity = new Validity(input);
            var result = new PrimitiveColumn<T>(values.Length);
            var output = result.Values;
            for (var i = 0; i < values.Length; i++)
            {
                output[i] = T.IsNegative(values[i]) ? unchecked(-values[i]) : values[i];
                if (!validity.IsValid(i))
                {
                    result.SetNull(i);
                }
            }

            return result.Build(ArrowTypes.ToArrow(Type));
        }

        private static IArrowArray AbsDecimal(IArrowArray input, DecimalType type)
        {
            var values = DecimalValues.Read(input);
            var validity = new Validity(input);
            var result = new DecimalColumn(type, values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                if (validity.IsValid(i))
                {
                    result.Set(i, Math.Abs(values[i]));
                }
                else
                {
                    result.SetNull(i);
                }
            }

            return result.Build();
        }
    }
}
