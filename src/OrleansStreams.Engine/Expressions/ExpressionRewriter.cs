using OrleansStreams.Engine.Common;

namespace OrleansStreams.Engine.Expressions;

/// <summary>Rebuilds an unresolved expression tree with some nodes replaced.</summary>
public static class ExpressionRewriter
{
    /// <summary>
    /// Top-down: where <paramref name="replace"/> returns a node, that node takes the place of the
    /// subtree (and is not visited further); where it returns null, the children are rewritten.
    /// </summary>
    public static Expression Rewrite(Expression expression, Func<Expression, Expression?> replace)
    {
        if (replace(expression) is { } replaced)
        {
            return replaced;
        }

        Expression R(Expression e) => Rewrite(e, replace);
        EquatableList<Expression> All(IEnumerable<Expression> list) => list.Select(R).ToEquatableList();

        return expression switch
        {
            BinaryExpression b => b with { Left = R(b.Left), Right = R(b.Right) },
            NotExpression n => n with { Child = R(n.Child) },
            NegateExpression n => n with { Child = R(n.Child) },
            IsNullExpression n => n with { Child = R(n.Child) },
            InExpression i => i with { Value = R(i.Value), List = All(i.List) },
            BetweenExpression b => b with { Value = R(b.Value), Low = R(b.Low), High = R(b.High) },
            LikeExpression l => l with { Value = R(l.Value), Pattern = R(l.Pattern) },
            CaseExpression c => c with
            {
                Operand = c.Operand is null ? null : R(c.Operand),
                Branches = c.Branches.Select(w => new WhenClause(R(w.Condition), R(w.Result))).ToEquatableList(),
                Else = c.Else is null ? null : R(c.Else),
            },
            CastExpression c => c with { Child = R(c.Child) },
            FunctionCall f => f with { Arguments = All(f.Arguments) },
            Alias a => a with { Child = R(a.Child) },
            _ => expression,
        };
    }
}
