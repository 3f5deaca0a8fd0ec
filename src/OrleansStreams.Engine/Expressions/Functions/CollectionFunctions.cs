using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>struct, element_at and size.</summary>
internal static class CollectionFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        new LambdaFunction("struct", 1, int.MaxValue, Struct),
        new LambdaFunction("array", 0, int.MaxValue, Array),
        new LambdaFunction("named_struct", 2, int.MaxValue, NamedStruct),
        new LambdaFunction("element_at", 2, 2, ElementAt),
        new LambdaFunction("size", 1, 1, Size),
        new LambdaFunction("cardinality", 1, 1, Size),
    ];

    /// <summary>struct(a, b, …): fields named after the columns (col1, col2… for other expressions); built from the columns as they are.</summary>
    private static BoundExpression Struct(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var names = call.Arguments.Select((e, i) => e switch
        {
            ColumnRef c => c.NameParts[^1],
            Alias a => a.Name,
            _ => $"col{i + 1}",
        }).ToList();
        return Build(call, names, args);
    }

    /// <summary>array(a, b, …): the values widened to one type, laid out element by element (columnar).</summary>
    private static BoundExpression Array(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var elementType = args.Count == 0 ? StringType.Instance : context.CommonType(call, args);
        var values = args.Select(a => context.Cast(a, elementType)).ToList();
        var type = new ArrayType(elementType);
        var arrowType = ArrowTypes.ToArrow(type);
        return new ComputedExpression(type, false, call.Sql, values, (a, n) =>
        {
            var k = a.Length;
            var which = new int[n * k];
            var rows = new int[n * k];
            var offsets = new int[n + 1];
            for (var i = 0; i < n; i++)
            {
                offsets[i + 1] = (i + 1) * k;
                for (var j = 0; j < k; j++)
                {
                    (which[(i * k) + j], rows[(i * k) + j]) = (j, i);
                }
            }

            var elements = k == 0 ? Columns.AllNull(elementType, 0) : Gather.Pick(a, which, rows);
            return new ListArray(arrowType, n, new ArrowBuffer.Builder<int>().AppendRange(offsets).Build(), elements, ArrowBuffer.Empty, 0);
        });
    }

    private static BoundExpression NamedStruct(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        if (args.Count % 2 != 0)
        {
            throw AnalysisException.Mismatch(call, "named_struct expects name, value pairs.");
        }

        var names = Enumerable.Range(0, args.Count / 2).Select(i => Kernels.Constant<string>(call, args[2 * i], (2 * i) + 1, "a field name")).ToList();
        return Build(call, names, Enumerable.Range(0, args.Count / 2).Select(i => args[(2 * i) + 1]).ToList());
    }

    private static BoundExpression Build(FunctionCall call, IReadOnlyList<string> names, IReadOnlyList<BoundExpression> values)
    {
        var type = new StructType(names.Select((n, i) => new StructField(n, values[i].Type, values[i].Nullable)));
        var arrowType = (Apache.Arrow.Types.StructType)ArrowTypes.ToArrow(type);
        return new ComputedExpression(type, false, call.Sql, values, (a, n) => new StructArray(arrowType, n, a, ArrowBuffer.Empty, 0));
    }

    /// <summary>element_at(array, i) with 1-based i (negative from the end; out of range is NULL), element_at(map, key).</summary>
    private static BoundExpression ElementAt(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        switch (args[0].Type)
        {
            case ArrayType array:
                var index = context.Coerce(call, args[1], IntegerType.Instance, 2);
                return new ComputedExpression(array.ElementType, true, call.Sql, [args[0], index], (a, n) =>
                {
                    var lists = (ListArray)a[0];
                    var indexes = Columns.Values<int>(a[1]);
                    var which = new int[n];
                    var rows = new int[n];
                    for (var i = 0; i < n; i++)
                    {
                        var start = lists.ValueOffsets[i];
                        var count = lists.ValueOffsets[i + 1] - start;
                        var k = indexes[i];
                        var at = k > 0 ? k - 1 : count + k;
                        var valid = !lists.IsNull(i) && !a[1].IsNull(i) && k != 0 && at >= 0 && at < count;
                        which[i] = valid ? 0 : -1;
                        rows[i] = valid ? start + at : 0;
                    }

                    return Gather.Pick([lists.Values], which, rows);
                });
            case MapType map:
                var key = context.Cast(args[1], map.KeyType);
                return new ComputedExpression(map.ValueType, true, call.Sql, [args[0], key], (a, n) =>
                {
                    var maps = (MapArray)a[0];
                    var which = new int[n];
                    var rows = new int[n];
                    for (var i = 0; i < n; i++)
                    {
                        which[i] = -1;
                        if (maps.IsNull(i) || a[1].IsNull(i))
                        {
                            continue;
                        }

                        var wanted = Columns.GetScalar(a[1], i);
                        for (var e = maps.ValueOffsets[i]; e < maps.ValueOffsets[i + 1]; e++)
                        {
                            if (Equals(Columns.GetScalar(maps.Keys, e), wanted))
                            {
                                (which[i], rows[i]) = (0, e);
                            }
                        }
                    }

                    return Gather.Pick([maps.Values], which, rows);
                });
            default:
                throw AnalysisException.Mismatch(call, $"the first parameter requires an \"ARRAY\" or \"MAP\" type, however \"{args[0].Sql}\" has the type \"{args[0].Type.SimpleString.ToUpperInvariant()}\".");
        }
    }

    /// <summary>size(array | map): the number of elements; -1 for NULL (Spark's legacy default).</summary>
    private static BoundExpression Size(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        if (args[0].Type is not (ArrayType or MapType))
        {
            throw AnalysisException.Mismatch(call, $"the first parameter requires an \"ARRAY\" or \"MAP\" type, however \"{args[0].Sql}\" has the type \"{args[0].Type.SimpleString.ToUpperInvariant()}\".");
        }

        return new ComputedExpression(IntegerType.Instance, false, call.Sql, [args[0]], (a, n) =>
        {
            var lists = (ListArray)a[0];
            var result = new PrimitiveColumn<int>(n);
            for (var i = 0; i < n; i++)
            {
                result.Values[i] = lists.IsNull(i) ? -1 : lists.ValueOffsets[i + 1] - lists.ValueOffsets[i];
            }

            return result.Build(Apache.Arrow.Types.Int32Type.Default);
        });
    }
}
