using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// The column names a set of expressions reads (first name part, lower-cased), or null when a
/// <c>*</c> in a select list means every column (<c>count(*)</c> needs none). Used to read only the columns a query needs.
/// </summary>
internal static class RequiredColumns
{
    public static HashSet<string>? Of(IEnumerable<Expression> expressions, HashSet<string>? alsoNeeded = null)
    {
        var names = alsoNeeded is null ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : new HashSet<string>(alsoNeeded, StringComparer.OrdinalIgnoreCase);
        foreach (var expression in expressions)
        {
            if (expression is Star)
            {
                return null;
            }

            foreach (var node in ExpressionWalker.DescendantsAndSelf(expression))
            {
                switch (node)
                {
                    case ColumnRef c:
                        // Both parts: "b.author" may be qualifier + column or column + struct field.
                        names.Add(c.NameParts[0]);
                        if (c.NameParts.Count > 1)
                        {
                            names.Add(c.NameParts[1]);
                        }

                        break;
                }
            }
        }

        return names;
    }
}
