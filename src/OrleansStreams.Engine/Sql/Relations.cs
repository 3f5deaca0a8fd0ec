using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Sql;

/// <summary>Something a query reads from: a table, a path, <c>read_files</c>, a subquery or a join.</summary>
public abstract record Relation;

/// <summary>
/// A table or view by name. <see cref="Streaming"/> is set for <c>STREAM t</c> / <c>STREAM(t)</c>
/// (an incremental read of the table or view).
/// </summary>
public sealed record TableRelation(QualifiedName Name, string? Alias = null, bool Streaming = false, TimeTravel? TimeTravel = null) : Relation;

/// <summary>A table addressed by its location, e.g. <c>delta.`/data/events`</c>.</summary>
public sealed record PathRelation(string Format, string Path, string? Alias = null, bool Streaming = false, TimeTravel? TimeTravel = null) : Relation;

/// <summary>
/// <c>read_files('path', format =&gt; 'json', schema =&gt; '…', …)</c>. Option keys keep the case they were
/// written in; values are text (the schema is the raw DDL string, parsed later).
/// </summary>
public sealed record ReadFilesRelation(string Path, EquatableList<SqlOption> Options, string? Alias = null, bool Streaming = false) : Relation
{
    public string? Format => Option("format");

    public string? Schema => Option("schema");

    /// <summary>The value of an option, looked up case-insensitively like Spark's options.</summary>
    public string? Option(string key) =>
        Options.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase))?.Value;
}

/// <summary><c>(query) [AS] alias</c>.</summary>
public sealed record SubqueryRelation(SqlQuery Query, string? Alias = null) : Relation;

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

/// <summary>A join with an <c>ON</c> condition, a <c>USING</c> column list, or neither (cross join, <c>FROM a, b</c>).</summary>
public sealed record JoinRelation(Relation Left, Relation Right, JoinType Type, Expression? Condition = null, EquatableList<string>? UsingColumns = null) : Relation;

/// <summary><c>VERSION AS OF n</c> (or <c>@vN</c>) or <c>TIMESTAMP AS OF '…'</c> (the timestamp as written).</summary>
public sealed record TimeTravel(long? Version, string? Timestamp);
