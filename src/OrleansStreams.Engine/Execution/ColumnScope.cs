using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// The columns an expression can see: a schema plus, per column, the alias of the relation it came
/// from (<c>b</c> in <c>FROM books b</c>). Expressions are bound against <see cref="BindingSchema"/>, in
/// which a name that occurs twice (after a join) is made unique as <c>qualifier.name</c>;
/// <see cref="Resolve"/> rewrites column references to those names and rejects ambiguous ones.
/// </summary>
public sealed class ColumnScope
{
    public ColumnScope(StructType schema, IReadOnlyList<string?> qualifiers)
    {
        Schema = schema;
        Qualifiers = qualifiers;
        var duplicated = schema.FieldNames.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        BindingSchema = new StructType(schema.Fields.Select((f, i) =>
            duplicated.Contains(f.Name) ? f.WithName($"{qualifiers[i] ?? "_"}.{f.Name}#{i}") : f));
        Ambiguous = duplicated;
    }

    public StructType Schema { get; }

    public IReadOnlyList<string?> Qualifiers { get; }

    public StructType BindingSchema { get; }

    private HashSet<string> Ambiguous { get; }

    public static ColumnScope Unqualified(StructType schema) => new(schema, new string?[schema.Count]);

    /// <summary>The same columns, all under one alias (<c>(subquery) AS t</c>).</summary>
    public ColumnScope WithQualifier(string alias) => new(Schema, Enumerable.Repeat<string?>(alias, Schema.Count).ToArray());

    /// <summary>Rewrites references to qualified or duplicated names so they bind against <see cref="BindingSchema"/>.</summary>
    public Expression Resolve(Expression expression)
    {
        if (Ambiguous.Count == 0 && Qualifiers.All(q => q is null))
        {
            return expression;
        }

        return ExpressionRewriter.Rewrite(expression, e => e is ColumnRef c ? ResolveColumn(c) : null);
    }

    /// <summary>A select-list item resolved, keeping the output name Spark would give it.</summary>
    public Expression ResolveNamed(Expression expression)
    {
        var resolved = Resolve(expression);
        return resolved.Equals(expression) || expression is Alias ? resolved : new Alias(resolved, Analyzer.OutputName(expression));
    }

    /// <summary>The columns <c>*</c> or <c>t.*</c> stands for, as references that bind in this scope.</summary>
    public IEnumerable<Expression> ExpandStar(Star star)
    {
        var any = false;
        for (var i = 0; i < Schema.Count; i++)
        {
            if ((star.Qualifier is null || string.Equals(Qualifiers[i], star.Qualifier, StringComparison.OrdinalIgnoreCase)) && !FileMetadataColumn.IsHidden(Schema[i].Name))
            {
                any = true;
                var reference = new ColumnRef(BindingSchema[i].Name);
                yield return BindingSchema[i].Name == Schema[i].Name ? reference : new Alias(reference, Schema[i].Name);
            }
        }

        if (!any && star.Qualifier is not null)
        {
            throw new AnalysisException("CANNOT_RESOLVE_STAR_EXPAND", $"Cannot resolve {star.Qualifier}.* given input columns {string.Join(", ", Schema.FieldNames.Select(StructType.QuoteIdentifier))}.");
        }
    }

    private ColumnRef? ResolveColumn(ColumnRef column)
    {
        var parts = column.NameParts;
        if (parts.Count >= 2)
        {
            var qualified = FindQualified(parts[0], parts[1]);
            if (qualified >= 0)
            {
                return new ColumnRef([BindingSchema[qualified].Name, .. parts.Skip(2)]);
            }
        }

        if (Ambiguous.Contains(parts[0]))
        {
            var candidates = Enumerable.Range(0, Schema.Count)
                .Where(i => string.Equals(Schema[i].Name, parts[0], StringComparison.OrdinalIgnoreCase))
                .Select(i => $"`{Qualifiers[i]}`.`{Schema[i].Name}`");
            throw new AnalysisException("AMBIGUOUS_REFERENCE", $"Reference `{parts[0]}` is ambiguous, could be: [{string.Join(", ", candidates)}].", column);
        }

        return null;
    }

    private int FindQualified(string qualifier, string name)
    {
        for (var i = 0; i < Schema.Count; i++)
        {
            if (string.Equals(Qualifiers[i], qualifier, StringComparison.OrdinalIgnoreCase) && string.Equals(Schema[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
