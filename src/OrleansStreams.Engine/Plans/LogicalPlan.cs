using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Plans;

/// <summary>
/// A node of an unresolved logical plan, as the SQL parser and the DataFrame API build it.
/// Plans are immutable records with value equality, so the SQL and the DataFrame form of the
/// same query can be compared, and they travel to grains as data.
/// </summary>
public abstract record LogicalPlan
{
    public abstract IReadOnlyList<LogicalPlan> Children { get; }

    /// <summary>True when any leaf reads a stream (<c>readStream</c>, <c>STREAM t</c>).</summary>
    public virtual bool IsStreaming => Children.Any(c => c.IsStreaming);

    /// <summary>Every node of the tree, this one first.</summary>
    public IEnumerable<LogicalPlan> Descendants()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.Descendants())
            {
                yield return node;
            }
        }
    }
}

/// <summary>A plan with no children.</summary>
public abstract record LeafPlan : LogicalPlan
{
    public override IReadOnlyList<LogicalPlan> Children => Array.Empty<LogicalPlan>();
}

/// <summary>A plan with one child.</summary>
public abstract record UnaryPlan(LogicalPlan Child) : LogicalPlan
{
    public override IReadOnlyList<LogicalPlan> Children => new[] { Child };
}

/// <summary>
/// Files or a table read by format and path: <c>cloudFiles</c>, <c>json</c>, <c>csv</c>,
/// <c>parquet</c>, <c>text</c>, <c>delta</c>. Options keep the user's spelling of their keys.
/// </summary>
public sealed record DataSourceRelation(
    string Format,
    string Path,
    EquatableDictionary Options,
    StructType? UserSchema,
    bool Streaming) : LeafPlan
{
    public override bool IsStreaming => Streaming;
}

/// <summary>How a table is pinned in time (<c>VERSION AS OF</c> / <c>TIMESTAMP AS OF</c>).</summary>
public sealed record TimeTravel(long? Version, string? Timestamp);

/// <summary>A table or temp view by name; the analyzer resolves it through views and the catalog.</summary>
public sealed record TableRelation(string Name, bool Streaming, TimeTravel? AsOf = null) : LeafPlan
{
    public override bool IsStreaming => Streaming;
}

/// <summary>Rows given inline (a <c>SELECT</c> without <c>FROM</c> reads one empty row).</summary>
public sealed record OneRowRelation : LeafPlan
{
    public static readonly OneRowRelation Instance = new();
}

public sealed record Project(EquatableList<Expression> ProjectList, LogicalPlan Child) : UnaryPlan(Child);

public sealed record Filter(Expression Condition, LogicalPlan Child) : UnaryPlan(Child);

/// <summary>
/// <c>GROUP BY</c>: <see cref="Grouping"/> are the keys (columns, expressions or
/// <c>window(ts, '10 minutes')</c>), <see cref="Aggregates"/> the output list (keys and aggregate calls).
/// </summary>
public sealed record Aggregate(EquatableList<Expression> Grouping, EquatableList<Expression> Aggregates, LogicalPlan Child) : UnaryPlan(Child);

/// <summary><c>withWatermark(eventTime, delay)</c>: state older than max(eventTime) − delay may be dropped.</summary>
public sealed record WithWatermark(string EventTimeColumn, string Delay, LogicalPlan Child) : UnaryPlan(Child);

/// <summary><c>dropDuplicates(columns)</c>; no columns means every column.</summary>
public sealed record Deduplicate(EquatableList<string> Columns, LogicalPlan Child) : UnaryPlan(Child);

/// <summary><c>SELECT DISTINCT</c> (all output columns).</summary>
public sealed record Distinct(LogicalPlan Child) : UnaryPlan(Child);

/// <summary>Union by position of two inputs with the same schema (<c>UNION ALL</c>, <c>df.union</c>).</summary>
public sealed record Union(LogicalPlan Left, LogicalPlan Right) : LogicalPlan
{
    public override IReadOnlyList<LogicalPlan> Children => new[] { Left, Right };
}

public enum JoinType
{
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    Cross,
    LeftSemi,
    LeftAnti,
}

public sealed record Join(LogicalPlan Left, LogicalPlan Right, JoinType Type, Expression? Condition, EquatableList<string> UsingColumns) : LogicalPlan
{
    public override IReadOnlyList<LogicalPlan> Children => new[] { Left, Right };
}

public sealed record SortOrder(Expression Expression, bool Ascending = true, bool? NullsFirst = null);

public sealed record Sort(EquatableList<SortOrder> Order, LogicalPlan Child) : UnaryPlan(Child);

public sealed record Limit(int Count, LogicalPlan Child) : UnaryPlan(Child);

/// <summary>A named sub-plan (<c>(SELECT …) AS t</c>, <c>FROM books b</c>) whose columns can be qualified by the alias.</summary>
public sealed record SubqueryAlias(string Alias, LogicalPlan Child) : UnaryPlan(Child);

/// <summary>
/// <c>withColumn</c>/<c>withColumns</c>: each name replaces the column of that name in place,
/// or is appended when there is none (Spark's semantics, decided once the schema is known).
/// </summary>
public sealed record WithColumns(EquatableList<string> Names, EquatableList<Expression> Values, LogicalPlan Child) : UnaryPlan(Child);

/// <summary><c>withColumnRenamed(existing, new)</c>; renaming a missing column is a no-op, as in Spark.</summary>
public sealed record RenameColumn(string Existing, string NewName, LogicalPlan Child) : UnaryPlan(Child);

/// <summary><c>drop(columns)</c>; dropping a missing column is a no-op, as in Spark.</summary>
public sealed record DropColumns(EquatableList<string> Names, LogicalPlan Child) : UnaryPlan(Child);
