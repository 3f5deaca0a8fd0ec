using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Casts;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Analysis;

/// <summary>
/// Resolves an unresolved <see cref="Expression"/> against an input schema: column names become
/// ordinals (case-insensitive, nested <c>a.b</c> into struct fields), functions are looked up,
/// implicit casts are inserted with Spark's coercion rules, and constant sub-trees are folded.
/// </summary>
public static class Analyzer
{
    public static BoundExpression Bind(Expression expression, StructType inputSchema, FunctionRegistry? registry = null, SessionConfig? session = null) =>
        new ExpressionBinder(inputSchema, registry ?? FunctionRegistry.Default, session ?? SessionConfig.Default).Bind(expression);

    /// <summary>The output column name of a select-list item: the alias, else the expression's SQL text (a bare column keeps its name).</summary>
    public static string OutputName(Expression expression) => expression switch
    {
        Alias a => a.Name,
        ColumnRef c => c.NameParts[^1],
        _ => expression.Sql,
    };

    /// <summary>Evaluates a node that depends on no column once and replaces it by a literal.</summary>
    internal static BoundExpression Fold(BoundExpression expression)
    {
        if (expression is BoundLiteral || !expression.IsFoldable)
        {
            return expression;
        }

        var oneRow = new RecordBatch(new Schema.Builder().Build(), [], 1);
        var value = Columns.GetScalar(expression.Evaluate(oneRow), 0);
        return new BoundLiteral(value, expression.Type, expression.Sql);
    }

    private sealed class ExpressionBinder(StructType schema, FunctionRegistry registry, SessionConfig session)
    {
        private readonly BindContext _context = new(session);

        public BoundExpression Bind(Expression expression) => Fold(expression switch
        {
            ColumnRef c => BindColumn(c),
            Literal l => new BoundLiteral(l.Value, l.Type, l.Sql),
            Alias a => Bind(a.Child),
            Star s => throw new AnalysisException("INVALID_USAGE_OF_STAR_OR_REGEX", $"Invalid usage of '{s.Sql}' in an expression.", s),
            BinaryExpression b => BindBinary(b),
            NotExpression n => new BoundNot(RequireBoolean(n, Bind(n.Child)), n.Sql),
            NegateExpression n => BindNegate(n),
            IsNullExpression n => new BoundIsNull(Bind(n.Child), n.Negated, n.Sql),
            InExpression i => BindIn(i),
            BetweenExpression b => BindBetween(b),
            LikeExpression l => new BoundLike(_context.Coerce(l, Bind(l.Value), StringType.Instance, 1), _context.Coerce(l, Bind(l.Pattern), StringType.Instance, 2), l.Kind, l.Sql) is var like && l.Negated ? new BoundNot(like, l.Sql) : like,
            CaseExpression c => BindCase(c),
            CastExpression c => BindCast(c),
            FunctionCall f => BindFunction(f),
            _ => throw new AnalysisException("UNSUPPORTED_EXPRESSION", $"The expression \"{expression.Sql}\" is not supported.", expression),
        });

        private BoundExpression BindColumn(ColumnRef column)
        {
            var parts = column.NameParts;
            var ordinal = schema.IndexOf(parts[0]);
            var start = 1;
            if (ordinal < 0 && parts.Count > 1 && schema.IndexOf(parts[1]) >= 0)
            {
                ordinal = schema.IndexOf(parts[1]); // parts[0] is a table qualifier
                start = 2;
            }

            if (ordinal < 0)
            {
                var suggestions = schema.FieldNames
                    .OrderBy(n => Distance(n.ToLowerInvariant(), parts[0].ToLowerInvariant()))
                    .Take(5)
                    .Select(StructType.QuoteIdentifier);
                throw new AnalysisException(
                    "UNRESOLVED_COLUMN",
                    $"A column or function parameter with name {Quote(column)} cannot be resolved. Did you mean one of the following? [{string.Join(", ", suggestions)}].",
                    column);
            }

            var path = new List<int> { ordinal };
            var field = schema[ordinal];
            var nullable = field.Nullable;
            for (var i = start; i < parts.Count; i++)
            {
                if (field.Type is not StructType inner || inner.IndexOf(parts[i]) is var index && index < 0)
                {
                    var available = field.Type is StructType st ? string.Join(", ", st.FieldNames.Select(StructType.QuoteIdentifier)) : "none";
                    throw new AnalysisException(
                        "FIELD_NOT_FOUND",
                        $"No such struct field {StructType.QuoteIdentifier(parts[i])} in {available} (resolving {Quote(column)}).",
                        column);
                }

                path.Add(index);
                field = inner[index];
                nullable |= field.Nullable;
            }

            return new BoundColumn(path, field.Type, nullable, column.Sql);
        }

        private BoundExpression BindBinary(BinaryExpression b)
        {
            var left = Bind(b.Left);
            var right = Bind(b.Right);
            switch (b.Operator)
            {
                case BinaryOperator.And or BinaryOperator.Or:
                    return new BoundLogical(b.Operator == BinaryOperator.And, RequireBoolean(b, left), RequireBoolean(b, right), b.Sql);
                case BinaryOperator.Concat:
                    return new BoundConcat([_context.Coerce(b, left, StringType.Instance, 1), _context.Coerce(b, right, StringType.Instance, 2)], b.Sql);
                case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo:
                    return BindArithmetic(b, left, right);
                default:
                    return Compare(b, b.Operator, left, right, b.Sql);
            }
        }

        private BoundComparison Compare(Expression at, BinaryOperator op, BoundExpression left, BoundExpression right, string sql)
        {
            var type = TypeCoercion.ForComparison(left.Type, right.Type)
                ?? throw AnalysisException.Mismatch(at, $"the left and right operands of the binary operator have incompatible types (\"{Upper(left.Type)}\" and \"{Upper(right.Type)}\").");
            if (type is NullType)
            {
                type = BooleanType.Instance; // NULL = NULL: any type will do, the result is NULL
            }

            return new BoundComparison(op, _context.Cast(left, type), _context.Cast(right, type), sql);
        }

        private BoundExpression BindArithmetic(BinaryExpression b, BoundExpression left, BoundExpression right)
        {
            var lt = Operand(left.Type, right.Type);
            var rt = Operand(right.Type, left.Type);
            if (lt is null || rt is null)
            {
                var bad = lt is null ? left : right;
                throw AnalysisException.Mismatch(b, $"the binary operator {BinaryExpression.Symbol(b.Operator)} requires numeric operands, however \"{bad.Sql}\" has the type \"{Upper(bad.Type)}\".");
            }

            var fractional = lt is FloatType or DoubleType || rt is FloatType or DoubleType;
            if (!fractional && (lt is DecimalType || rt is DecimalType))
            {
                var dl = TypeCoercion.AsDecimal(lt)!;
                var dr = TypeCoercion.AsDecimal(rt)!;
                return new BoundArithmetic(b.Operator, _context.Cast(left, dl), _context.Cast(right, dr), TypeCoercion.DecimalResult(b.Operator, dl, dr), b.Sql);
            }

            var type = b.Operator == BinaryOperator.Divide ? DoubleType.Instance : TypeCoercion.WidenNumeric(lt, rt)!;
            return new BoundArithmetic(b.Operator, _context.Cast(left, type), _context.Cast(right, type), type, b.Sql);

            // Strings in arithmetic are read as doubles; NULL takes the other side's type.
            static DataType? Operand(DataType own, DataType other) => own switch
            {
                _ when own.IsNumeric => own,
                StringType => DoubleType.Instance,
                NullType => other.IsNumeric ? other : DoubleType.Instance,
                _ => null,
            };
        }

        private BoundExpression BindNegate(NegateExpression n)
        {
            var child = Bind(n.Child);
            if (child.Type is StringType or NullType)
            {
                child = _context.Cast(child, DoubleType.Instance);
            }

            if (!child.Type.IsNumeric)
            {
                throw AnalysisException.Mismatch(n, $"the unary minus requires a numeric operand, however \"{n.Child.Sql}\" has the type \"{Upper(child.Type)}\".");
            }

            return new BoundNegate(child, n.Sql);
        }

        /// <summary><c>v IN (a, b)</c> is <c>v = a OR v = b</c> under three-valued logic, which gives IN's NULL semantics.</summary>
        private BoundExpression BindIn(InExpression i)
        {
            var value = Bind(i.Value);
            var items = i.List.Select(Bind).ToList();
            var type = items.Aggregate(value.Type, (t, item) => TypeCoercion.ForComparison(t, item.Type)
                ?? throw AnalysisException.Mismatch(i, $"the input types of IN must be the same, however \"{Upper(t)}\" and \"{Upper(item.Type)}\" differ."));
            BoundExpression? result = null;
            foreach (var item in items)
            {
                var equal = Compare(i, BinaryOperator.Equal, value, item, i.Sql);
                result = result is null ? equal : new BoundLogical(false, result, equal, i.Sql);
            }

            result ??= new BoundLiteral(false, BooleanType.Instance, i.Sql);
            return i.Negated ? new BoundNot(result, i.Sql) : result;
        }

        private BoundExpression BindBetween(BetweenExpression b)
        {
            var value = Bind(b.Value);
            var low = Compare(b, BinaryOperator.GreaterThanOrEqual, value, Bind(b.Low), b.Sql);
            var high = Compare(b, BinaryOperator.LessThanOrEqual, value, Bind(b.High), b.Sql);
            var between = new BoundLogical(true, low, high, b.Sql);
            return b.Negated ? new BoundNot(between, b.Sql) : between;
        }

        private BoundCase BindCase(CaseExpression c)
        {
            var operand = c.Operand is null ? null : Bind(c.Operand);
            var conditions = c.Branches.Select(w => operand is null
                ? RequireBoolean(c, Bind(w.Condition))
                : Compare(c, BinaryOperator.Equal, operand, Bind(w.Condition), c.Sql)).ToList();
            var results = c.Branches.Select(w => Bind(w.Result)).ToList();
            var otherwise = c.Else is null ? null : Bind(c.Else);
            var all = otherwise is null ? results : [.. results, otherwise];
            var type = _context.CommonType(c, all);
            return new BoundCase(conditions, results.Select(r => _context.Cast(r, type)).ToList(), otherwise is null ? null : _context.Cast(otherwise, type), type, c.Sql);
        }

        private BoundExpression BindCast(CastExpression c)
        {
            var child = Bind(c.Child);
            if (!CastRules.CanCast(child.Type, c.TargetType))
            {
                throw new AnalysisException(
                    "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                    $"Cannot resolve \"{c.Sql}\" due to data type mismatch: cannot cast \"{Upper(child.Type)}\" to \"{Upper(c.TargetType)}\".",
                    c);
            }

            return new BoundCast(child, c.TargetType, session.Zone, c.Sql);
        }

        private BoundExpression BindFunction(FunctionCall call)
        {
            if (!registry.TryGet(call.Name, out var function))
            {
                throw new AnalysisException("UNRESOLVED_ROUTINE", $"Cannot resolve function `{call.Name}` on search path [`system`.`builtin`].", call);
            }

            var count = call.Arguments.Count;
            if (count < function.MinArguments || count > function.MaxArguments)
            {
                throw new AnalysisException(
                    "WRONG_NUM_ARGS",
                    $"The `{call.Name}` requires {function.ArityText} parameters but the actual number is {count}.",
                    call);
            }

            if (call.Distinct)
            {
                throw new AnalysisException("INVALID_DISTINCT", $"DISTINCT is only allowed in aggregate functions, not in \"{call.Sql}\".", call);
            }

            return function.Bind(call, call.Arguments.Select(Bind).ToList(), _context);
        }

        private BoundExpression RequireBoolean(Expression at, BoundExpression operand)
        {
            if (operand.Type is NullType)
            {
                return _context.Cast(operand, BooleanType.Instance);
            }

            if (operand.Type is not BooleanType)
            {
                throw AnalysisException.Mismatch(at, $"\"{operand.Sql}\" must be of the \"BOOLEAN\" type, however it has the type \"{Upper(operand.Type)}\".");
            }

            return operand;
        }

        private static string Upper(DataType type) => type.SimpleString.ToUpperInvariant();

        private static string Quote(ColumnRef column) => string.Join(".", column.NameParts.Select(StructType.QuoteIdentifier));

        private static int Distance(string a, string b)
        {
            var previous = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var current = new int[b.Length + 1];
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }

                previous = current;
            }

            return previous[b.Length];
        }
    }
}
