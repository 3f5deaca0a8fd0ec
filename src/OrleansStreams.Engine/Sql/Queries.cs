using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Sql;

/// <summary>A query: a <c>SELECT</c>, a <c>UNION</c> of queries, or a query with <c>WITH</c> definitions.</summary>
public abstract record SqlQuery;

/// <summary>
/// <c>SELECT [DISTINCT] … [FROM …] [WHERE …] [GROUP BY …] [HAVING …] [ORDER BY …] [LIMIT n]</c>.
/// Select items carry their alias as an <see cref="Alias"/> expression; <c>*</c> and <c>t.*</c> are <see cref="Star"/>.
/// </summary>
public sealed record SelectQuery(
    EquatableList<Expression> Projections,
    Relation? From = null,
    Expression? Where = null,
    EquatableList<Expression>? GroupBy = null,
    Expression? Having = null,
    EquatableList<SortItem>? OrderBy = null,
    int? Limit = null,
    bool Distinct = false) : SqlQuery;

/// <summary><c>left UNION [ALL] right</c>; a trailing ORDER BY / LIMIT applies to the whole union.</summary>
public sealed record UnionQuery(SqlQuery Left, SqlQuery Right, bool All, EquatableList<SortItem>? OrderBy = null, int? Limit = null) : SqlQuery;

/// <summary><c>WITH name AS (query), … query</c>.</summary>
public sealed record WithQuery(EquatableList<CommonTableExpression> Definitions, SqlQuery Body) : SqlQuery;

public sealed record CommonTableExpression(string Name, SqlQuery Query);

/// <summary>
/// One ORDER BY key. <see cref="NullsFirst"/> is already defaulted the Spark way when not written:
/// nulls first for ascending, last for descending.
/// </summary>
public sealed record SortItem(Expression Expression, bool Descending = false, bool NullsFirst = true);
