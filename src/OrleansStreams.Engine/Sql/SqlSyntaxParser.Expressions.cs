using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Sql;

// Expressions, loosest binding first, following Spark's precedence:
// OR < AND < NOT < comparisons and predicates (IS NULL, IN, BETWEEN, LIKE) < + - || < * / % < unary - + < :: < primary.
internal sealed partial class SqlSyntaxParser
{
    private static readonly Dictionary<string, BinaryOperator> Comparisons = new()
    {
        ["="] = BinaryOperator.Equal,
        ["=="] = BinaryOperator.Equal,
        ["<=>"] = BinaryOperator.NullSafeEqual,
        ["<>"] = BinaryOperator.NotEqual,
        ["!="] = BinaryOperator.NotEqual,
        ["<"] = BinaryOperator.LessThan,
        ["<="] = BinaryOperator.LessThanOrEqual,
        [">"] = BinaryOperator.GreaterThan,
        [">="] = BinaryOperator.GreaterThanOrEqual,
    };

    /// <summary>An expression with an optional alias, then the end of the input (the DataFrame API's <c>Expr("…")</c>).</summary>
    public Expression ParseNamedExpressionToEnd()
    {
        var expression = ParseExpression();
        if (expression is not Star)
        {
            expression = WithAlias(expression);
        }

        Expecting("end of input");
        return Current.Kind == SqlTokenKind.End ? expression : throw Fail();
    }

    private Expression ParseExpression()
    {
        var left = ParseAnd();
        while (AtWord("OR"))
        {
            Advance();
            left = new BinaryExpression(BinaryOperator.Or, left, ParseAnd());
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (AtWord("AND"))
        {
            Advance();
            left = new BinaryExpression(BinaryOperator.And, left, ParseNot());
        }

        return left;
    }

    private Expression ParseNot()
    {
        if (AtWord("NOT") || AtSymbol("!"))
        {
            Advance();
            return new NotExpression(ParseNot());
        }

        return ParsePredicate();
    }

    private Expression ParsePredicate()
    {
        var left = ParseAdditive();
        while (true)
        {
            if (Current.Kind == SqlTokenKind.Symbol && Comparisons.TryGetValue(Current.Text, out var op))
            {
                Advance();
                left = new BinaryExpression(op, left, ParseAdditive());
            }
            else if (AtWord("IS"))
            {
                left = ParseIs(left);
            }
            else if (ParseNegatablePredicate(left) is { } predicate)
            {
                left = predicate;
            }
            else
            {
                return left;
            }
        }
    }

    /// <summary><c>IS [NOT] NULL</c>, <c>IS [NOT] DISTINCT FROM x</c> (null-safe (in)equality).</summary>
    private Expression ParseIs(Expression left)
    {
        ExpectWord("IS");
        var negated = AcceptWord("NOT");
        if (AcceptWord("NULL"))
        {
            return new IsNullExpression(left, negated);
        }

        if (AcceptWords("DISTINCT", "FROM"))
        {
            var equal = new BinaryExpression(BinaryOperator.NullSafeEqual, left, ParseAdditive());
            return negated ? equal : new NotExpression(equal);
        }

        throw Fail();
    }

    /// <summary><c>[NOT] IN (…)</c>, <c>[NOT] BETWEEN a AND b</c>, <c>[NOT] LIKE|RLIKE|REGEXP p</c>; null when none follows.</summary>
    private Expression? ParseNegatablePredicate(Expression left)
    {
        var negated = AtWord("NOT") && (Ahead(1).IsWord("IN") || Ahead(1).IsWord("BETWEEN") || Ahead(1).IsWord("LIKE")
            || Ahead(1).IsWord("RLIKE") || Ahead(1).IsWord("REGEXP"));
        if (negated)
        {
            Advance();
        }

        if (AtWord("IN"))
        {
            Advance();
            ExpectSymbol("(");
            if (AtWord("SELECT"))
            {
                throw ErrorAt(Current, "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] IN (subquery) is not supported yet");
            }

            var list = ParseExpressionList();
            ExpectSymbol(")");
            return new InExpression(left, list, negated);
        }

        if (AtWord("BETWEEN"))
        {
            Advance();
            var low = ParseAdditive();
            ExpectWord("AND");
            return new BetweenExpression(left, low, ParseAdditive(), negated);
        }

        if (AtWord("LIKE") || AtWord("RLIKE") || AtWord("REGEXP"))
        {
            var kind = Advance().IsWord("LIKE") ? LikeKind.Like : LikeKind.RLike;
            return new LikeExpression(left, ParseAdditive(), kind, negated);
        }

        return null;
    }

    // Spark puts || on the same level as + and -: 'a' || 1 + 2 is ('a' || 1) + 2.
    private Expression ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            BinaryOperator op;
            if (AtSymbol("+"))
            {
                op = BinaryOperator.Add;
            }
            else if (AtSymbol("-"))
            {
                op = BinaryOperator.Subtract;
            }
            else if (AtSymbol("||"))
            {
                op = BinaryOperator.Concat;
            }
            else
            {
                return left;
            }

            Advance();
            left = new BinaryExpression(op, left, ParseMultiplicative());
        }
    }

    private Expression ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            BinaryOperator op;
            if (AtSymbol("*"))
            {
                op = BinaryOperator.Multiply;
            }
            else if (AtSymbol("/"))
            {
                op = BinaryOperator.Divide;
            }
            else if (AtSymbol("%"))
            {
                op = BinaryOperator.Modulo;
            }
            else
            {
                return left;
            }

            Advance();
            left = new BinaryExpression(op, left, ParseUnary());
        }
    }

    private Expression ParseUnary()
    {
        if (AtSymbol("-"))
        {
            // -1 is a negative literal (so -2147483648 is an int), unless a postfix cast binds to the 1 first.
            if (Ahead(1).Kind == SqlTokenKind.Number && !Ahead(2).IsSymbol("::"))
            {
                Advance();
                return ParseNumber(Advance(), negative: true);
            }

            Advance();
            return new NegateExpression(ParseUnary());
        }

        if (AtSymbol("+"))
        {
            Advance();
            return ParseUnary();
        }

        var expression = ParsePrimary();
        while (AtSymbol("::"))
        {
            Advance();
            expression = new CastExpression(expression, ParseType());
        }

        return expression;
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case SqlTokenKind.Number:
                return ParseNumber(Advance(), negative: false);
            case SqlTokenKind.String:
                return new Literal(ExpectString("string"), StringType.Instance);
            case SqlTokenKind.Binary:
                return ParseBinary(Advance());
            case SqlTokenKind.Symbol when token.Text == "(":
                Advance();
                if (AtWord("SELECT") || AtWord("WITH"))
                {
                    throw ErrorAt(Current, "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] Scalar subqueries are not supported yet");
                }

                var inner = ParseExpression();
                ExpectSymbol(")");
                return inner;
            case SqlTokenKind.Symbol when token.Text == "*":
                Advance();
                return new Star();
            case SqlTokenKind.Word when ParseKeywordExpression() is { } keywordExpression:
                return keywordExpression;
            case SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier when IsIdentifier(token):
                return ParseNameOrCall();
            default:
                Expecting("expression");
                throw Fail();
        }
    }

    /// <summary>Literals and forms that start with a keyword: TRUE, NULL, CASE, CAST, DATE '…', …; null if the word is not one.</summary>
    private Expression? ParseKeywordExpression()
    {
        var token = Current;
        var next = Ahead(1);
        if (token.IsWord("TRUE") || token.IsWord("FALSE"))
        {
            Advance();
            return new Literal(token.IsWord("TRUE"), BooleanType.Instance);
        }

        if (token.IsWord("NULL"))
        {
            Advance();
            return Literal.Null();
        }

        if (token.IsWord("CASE"))
        {
            return ParseCase();
        }

        if (token.IsWord("CAST") && next.IsSymbol("("))
        {
            Advance();
            Advance();
            var child = ParseExpression();
            ExpectWord("AS");
            var type = ParseType();
            ExpectSymbol(")");
            return new CastExpression(child, type);
        }

        if (next.Kind == SqlTokenKind.String && ParseTypedLiteral(token, next) is { } typed)
        {
            return typed;
        }

        return null;
    }

    private CaseExpression ParseCase()
    {
        ExpectWord("CASE");
        var operand = AtWord("WHEN") ? null : ParseExpression();
        var branches = new List<WhenClause>();
        while (AcceptWord("WHEN"))
        {
            var condition = ParseExpression();
            ExpectWord("THEN");
            branches.Add(new WhenClause(condition, ParseExpression()));
        }

        if (branches.Count == 0)
        {
            throw Fail();
        }

        var otherwise = AcceptWord("ELSE") ? ParseExpression() : null;
        ExpectWord("END");
        return new CaseExpression(operand, branches.ToEquatableList(), otherwise);
    }

    /// <summary><c>a</c>, <c>t.a.b</c>, <c>t.*</c>, <c>f(…)</c>, <c>db.f(…)</c>.</summary>
    private Expression ParseNameOrCall()
    {
        var parts = new List<string> { Advance().Text };
        while (AtSymbol("."))
        {
            Advance();
            if (AtSymbol("*"))
            {
                Advance();
                return new Star(string.Join(".", parts));
            }

            Expecting("name");
            if (Current.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            {
                throw Fail();
            }

            parts.Add(Advance().Text); // after a dot any word is a field name, even a keyword
        }

        return AtSymbol("(") ? ParseCallArguments(string.Join(".", parts)) : new ColumnRef(parts.ToEquatableList());
    }

    private FunctionCall ParseCallArguments(string name)
    {
        ExpectSymbol("(");
        var distinct = AtWord("DISTINCT");
        if (distinct || AtWord("ALL"))
        {
            Advance();
        }

        var arguments = EquatableList<Expression>.Empty;
        if (!AtSymbol(")"))
        {
            arguments = ParseExpressionList();
        }

        ExpectSymbol(")");
        if (AtWord("OVER") || AtWord("FILTER"))
        {
            throw ErrorAt(Current, $"[UNSUPPORTED_FEATURE] {Current.Text.ToUpperInvariant()} clauses on function calls are not supported yet");
        }

        return new FunctionCall(name, arguments, distinct);
    }

    /// <summary>A CAST / <c>::</c> target: a primitive type name, <c>decimal(p[,s])</c>, <c>varchar(n)</c>.</summary>
    private DataType ParseType()
    {
        Expecting("type name");
        var token = Current;
        if (token.Kind != SqlTokenKind.Word)
        {
            throw Fail();
        }

        Advance();
        var name = token.Text;
        if (SqlTypeNames.IsComplex(name))
        {
            throw ErrorAt(token, $"[UNSUPPORTED_DATATYPE] Casting to {name.ToUpperInvariant()} types is not supported yet");
        }

        if (SqlTypeNames.IsDecimal(name) && AcceptSymbol("("))
        {
            var precision = ParseTypeParameter();
            var scale = AcceptSymbol(",") ? ParseTypeParameter() : 0;
            ExpectSymbol(")");
            return precision is >= 1 and <= DecimalType.MaxPrecision && scale <= precision
                ? new DecimalType(precision, scale)
                : throw ErrorAt(token, $"[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Invalid decimal({precision},{scale}): precision must be 1 to {DecimalType.MaxPrecision} and scale at most the precision");
        }

        if (SqlTypeNames.TakesLength(name) && AcceptSymbol("("))
        {
            ParseTypeParameter();
            ExpectSymbol(")");
        }

        return SqlTypeNames.Primitive(name)
            ?? throw ErrorAt(token, $"[UNSUPPORTED_DATATYPE] Unsupported data type '{name}'");
    }

    private int ParseTypeParameter()
    {
        Expecting("number");
        var token = Current;
        if (token.Kind != SqlTokenKind.Number || !int.TryParse(token.Text, out var value))
        {
            throw Fail();
        }

        Advance();
        return value;
    }
}
