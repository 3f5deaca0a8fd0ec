using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Sql;

/// <summary>
/// A parsed SQL statement. <see cref="Line"/> and <see cref="Text"/> say where it came from (for
/// messages and the CLI); they are left out of equality so the same statement parsed alone or
/// from a script compares equal.
/// </summary>
public abstract record SqlStatement
{
    /// <summary>The 1-based line the statement starts on in its script (1 for a single statement).</summary>
    public int Line { get; init; } = 1;

    /// <summary>The statement as written, without the terminating <c>;</c>.</summary>
    public string Text { get; init; } = string.Empty;

    public virtual bool Equals(SqlStatement? other) => other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();
}

/// <summary>A query run for its rows.</summary>
public sealed record QueryStatement(SqlQuery Query) : SqlStatement;

/// <summary><c>CREATE [OR REPLACE] [[GLOBAL] TEMP[ORARY]] VIEW [IF NOT EXISTS] name AS query</c>.</summary>
public sealed record CreateViewStatement(QualifiedName Name, SqlQuery Query, bool OrReplace = false, bool Temporary = true, bool Global = false, bool IfNotExists = false) : SqlStatement;

/// <summary>
/// <c>CREATE [OR REFRESH | OR REPLACE] [STREAMING] [LIVE] TABLE [IF NOT EXISTS] name [(columns)]
/// [USING fmt] [PARTITIONED BY (…)] [LOCATION '…'] [COMMENT '…'] [TBLPROPERTIES (…)] [AS query]</c>.
/// The column list is kept as raw DDL text (it may hold constraints) for the DDL parser.
/// </summary>
public sealed record CreateTableStatement(
    QualifiedName Name,
    SqlQuery? Query,
    bool Streaming = false,
    bool OrRefresh = false,
    bool OrReplace = false,
    bool IfNotExists = false,
    string? ColumnsDdl = null,
    EquatableList<string>? PartitionColumns = null,
    string? Comment = null,
    EquatableList<SqlOption>? Properties = null,
    string? Provider = null,
    string? Location = null) : SqlStatement;

/// <summary><c>DROP TABLE|VIEW [IF EXISTS] name</c>.</summary>
public sealed record DropTableStatement(QualifiedName Name, bool IfExists = false, bool IsView = false) : SqlStatement;

public enum DescribeKind
{
    Table,
    History,
    Detail,
}

/// <summary><c>DESC[RIBE] [TABLE | HISTORY | DETAIL] name</c>.</summary>
public sealed record DescribeStatement(QualifiedName Name, DescribeKind Kind = DescribeKind.Table) : SqlStatement;

/// <summary>
/// Delta's <c>OPTIMIZE table [WHERE partition_predicate]</c>: bin-packs small files. The table is a name, <c>delta.`path`</c>
/// or a quoted path (read as <c>delta.`path`</c>).
/// </summary>
public sealed record OptimizeStatement(QualifiedName Table, Expression? Where = null) : SqlStatement;

/// <summary>Delta's <c>VACUUM table [RETAIN n HOURS] [DRY RUN]</c>: deletes files the table stopped referencing.</summary>
public sealed record VacuumStatement(QualifiedName Table, double? RetainHours = null, bool DryRun = false) : SqlStatement;

/// <summary><c>SHOW TABLES [FROM|IN db] [[LIKE] 'pattern']</c>.</summary>
public sealed record ShowTablesStatement(string? Database = null, string? Pattern = null) : SqlStatement;

/// <summary>
/// <c>SET</c> (list), <c>SET key</c> (show one) or <c>SET key = value</c>. Both sides are raw text,
/// trimmed, as Spark reads them (<c>SET spark.sql.session.timeZone = America/New_York</c>).
/// </summary>
public sealed record SetStatement(string? Key = null, string? Value = null) : SqlStatement;
