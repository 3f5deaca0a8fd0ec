using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Sql;

// Queries: WITH, SELECT, UNION, ORDER BY, LIMIT.
internal sealed partial class SqlSyntaxParser
{
    private SqlQuery ParseQuery()
    {
        if (AcceptWord("WITH"))
        {
            var definitions = new List<CommonTableExpression>();
            do
            {
                var name = ExpectIdentifier("name");
                AcceptWord("AS");
                ExpectSymbol("(");
                definitions.Add(new CommonTableExpression(name, ParseQuery()));
                ExpectSymbol(")");
            }
            while (AcceptSymbol(","));

            return new WithQuery(definitions.ToEquatableList(), ParseQuery());
        }

        var query = ParseQueryTerm();
        while (AcceptWord("UNION"))
        {
            var all = AcceptWord("ALL");
            if (!all)
            {
                AcceptWord("DISTINCT");
            }

            query = new UnionQuery(query, ParseQueryTerm(), all);
        }

        var orderBy = AcceptWords("ORDER", "BY") ? ParseSortItems() : null;
        int? limit = AcceptWord("LIMIT") ? ParseLimit() : null;
        return orderBy is null && limit is null ? query : ApplySortAndLimit(query, orderBy, limit);
    }

    private SqlQuery ParseQueryTerm()
    {
        if (AcceptSymbol("("))
        {
            var query = ParseQuery();
            ExpectSymbol(")");
            return query;
        }

        Expecting("SELECT");
        return AtWord("SELECT") ? ParseSelect() : throw Fail();
    }

    private SelectQuery ParseSelect()
    {
        ExpectWord("SELECT");
        var distinct = AtWord("DISTINCT");
        if (distinct || AtWord("ALL"))
        {
            Advance();
        }

        var projections = new List<Expression> { ParseSelectItem() };
        while (AcceptSymbol(","))
        {
            projections.Add(ParseSelectItem());
        }

        var from = AcceptWord("FROM") ? ParseFrom() : null;
        var where = AcceptWord("WHERE") ? ParseExpression() : null;
        var groupBy = AcceptWords("GROUP", "BY") ? ParseExpressionList() : null;
        var having = AcceptWord("HAVING") ? ParseExpression() : null;
        return new SelectQuery(projections.ToEquatableList(), from, where, groupBy, having, Distinct: distinct);
    }

    private Expression ParseSelectItem()
    {
        var expression = ParseExpression();
        return expression is Star ? expression : WithAlias(expression);
    }

    /// <summary>An expression with an optional <c>[AS] alias</c>.</summary>
    private Expression WithAlias(Expression expression) =>
        ParseOptionalAlias() is { } alias ? new Alias(expression, alias) : expression;

    private EquatableList<Expression> ParseExpressionList()
    {
        var expressions = new List<Expression> { ParseExpression() };
        while (AcceptSymbol(","))
        {
            expressions.Add(ParseExpression());
        }

        return expressions.ToEquatableList();
    }

    private EquatableList<SortItem> ParseSortItems()
    {
        var items = new List<SortItem>();
        do
        {
            var expression = ParseExpression();
            var descending = AcceptWord("DESC");
            if (!descending)
            {
                AcceptWord("ASC");
            }

            var nullsFirst = !descending;
            if (AcceptWord("NULLS"))
            {
                nullsFirst = AcceptWord("FIRST");
                if (!nullsFirst)
                {
                    ExpectWord("LAST");
                }
            }

            items.Add(new SortItem(expression, descending, nullsFirst));
        }
        while (AcceptSymbol(","));

        return items.ToEquatableList();
    }

    private int ParseLimit()
    {
        Expecting("number");
        var token = Current;
        if (token.Kind != SqlTokenKind.Number)
        {
            throw Fail();
        }

        Advance();
        return int.TryParse(token.Text, out var limit) && limit >= 0
            ? limit
            : throw ErrorAt(token, $"[INVALID_LIMIT_LIKE_EXPRESSION] The limit must be an integer between 0 and {int.MaxValue}, found {token.Text}");
    }

    /// <summary>
    /// Attaches a trailing ORDER BY / LIMIT to the query it follows. A parenthesised query that already
    /// has its own is wrapped as <c>SELECT * FROM (query)</c>, which is what the nesting means.
    /// </summary>
    private static SqlQuery ApplySortAndLimit(SqlQuery query, EquatableList<SortItem>? orderBy, int? limit) => query switch
    {
        SelectQuery s when s.OrderBy is null && s.Limit is null => s with { OrderBy = orderBy, Limit = limit },
        UnionQuery u when u.OrderBy is null && u.Limit is null => u with { OrderBy = orderBy, Limit = limit },
        _ => new SelectQuery(EquatableList.Of<Expression>(new Star()), new SubqueryRelation(query), OrderBy: orderBy, Limit: limit),
    };
}
