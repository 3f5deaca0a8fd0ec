namespace OrleansStreams.Engine.Expressions;

/// <summary>Visits the nodes of an unresolved expression tree.</summary>
public static class ExpressionWalker
{
    /// <summary>The direct children of a node.</summary>
    public static IEnumerable<Expression> Children(Expression expression) => expression switch
    {
        BinaryExpression b => new[] { b.Left, b.Right },
        NotExpression n => new[] { n.Child },
        NegateExpression n => new[] { n.Child },
        IsNullExpression n => new[] { n.Child },
        InExpression i => i.List.Prepend(i.Value),
        BetweenExpression b => new[] { b.Value, b.Low, b.High },
        LikeExpression l => new[] { l.Value, l.Pattern },
        CaseExpression c => CaseChildren(c),
        CastExpression c => new[] { c.Child },
        FunctionCall f => f.Arguments,
        Alias a => new[] { a.Child },
        _ => Array.Empty<Expression>(),
    };

    /// <summary>The node and all nodes below it, depth first.</summary>
    public static IEnumerable<Expression> DescendantsAndSelf(Expression expression)
    {
        yield return expression;
        foreach (var child in Children(expression))
        {
            foreach (var node in DescendantsAndSelf(child))
            {
                yield return node;
            }
        }
    }

    public static bool Any(Expression expression, Func<Expression, bool> predicate) =>
        DescendantsAndSelf(expression).Any(predicate);

    private static IEnumerable<Expression> CaseChildren(CaseExpression c)
    {
        if (c.Operand is not null)
        {
            yield return c.Operand;
        }

        foreach (var branch in c.Branches)
        {
            yield return branch.Condition;
            yield return branch.Result;
        }

        if (c.Else is not null)
        {
            yield return c.Else;
        }
    }
}
