using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions;

/// <summary>
/// An unresolved expression, as the SQL parser and the DataFrame API both build it. Names are
/// not yet bound to columns or functions: the analyzer resolves them against a schema, checks
/// types and reports errors that name the expression. Value equality (records) lets tests
/// compare what SQL and the DataFrame API produce.
/// </summary>
public abstract record Expression
{
    /// <summary>The expression as Spark would print it in a column name or an error message.</summary>
    public abstract string Sql { get; }

    public sealed override string ToString() => Sql;
}

/// <summary>A column reference, possibly qualified or nested: <c>a</c>, <c>t.a</c>, <c>a.b.c</c>.</summary>
public sealed record ColumnRef(EquatableList<string> NameParts) : Expression
{
    public ColumnRef(params string[] nameParts)
        : this(new EquatableList<string>(nameParts))
    {
    }

    public override string Sql => string.Join(".", NameParts);
}

/// <summary>
/// A constant. <see cref="Value"/> holds the engine's scalar form of <see cref="Type"/>:
/// null; bool; sbyte/short/int/long; float/double; decimal; string; byte[] (binary);
/// int days since the epoch (date); long microseconds since the epoch (timestamp, timestamp_ntz).
/// </summary>
public sealed record Literal(object? Value, DataType Type) : Expression
{
    public static Literal Null(DataType? type = null) => new(null, type ?? NullType.Instance);

    public override string Sql => Value switch
    {
        null => "NULL",
        string s => $"'{s.Replace("'", "\\'", StringComparison.Ordinal)}'",
        bool b => b ? "true" : "false",
        byte[] bytes => $"X'{Convert.ToHexString(bytes)}'",
        long l when Type is LongType => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{l}L"), // names columns: no culture's minus sign
        _ => Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture) ?? "NULL",
    };

    public bool Equals(Literal? other) =>
        other is not null && Type.Equals(other.Type) && (Value is byte[] a && other.Value is byte[] b ? a.AsSpan().SequenceEqual(b) : Equals(Value, other.Value));

    public override int GetHashCode() => HashCode.Combine(Type, Value is byte[] bytes ? bytes.Length : Value?.GetHashCode() ?? 0);
}

/// <summary><c>*</c> or <c>t.*</c> in a select list or <c>count(*)</c>.</summary>
public sealed record Star(string? Qualifier = null) : Expression
{
    public override string Sql => Qualifier is null ? "*" : $"{Qualifier}.*";
}

public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Equal,
    NullSafeEqual,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    And,
    Or,

    /// <summary>SQL's <c>||</c> string concatenation.</summary>
    Concat,
}

public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression
{
    public override string Sql => $"({Left.Sql} {Symbol(Operator)} {Right.Sql})";

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Equal => "=",
        BinaryOperator.NullSafeEqual => "<=>",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.LessThan => "<",
        BinaryOperator.LessThanOrEqual => "<=",
        BinaryOperator.GreaterThan => ">",
        BinaryOperator.GreaterThanOrEqual => ">=",
        BinaryOperator.And => "AND",
        BinaryOperator.Or => "OR",
        BinaryOperator.Concat => "||",
        _ => op.ToString(),
    };
}

public sealed record NotExpression(Expression Child) : Expression
{
    public override string Sql => $"(NOT {Child.Sql})";
}

public sealed record NegateExpression(Expression Child) : Expression
{
    public override string Sql => $"(- {Child.Sql})";
}

public sealed record IsNullExpression(Expression Child, bool Negated = false) : Expression
{
    public override string Sql => $"({Child.Sql} IS {(Negated ? "NOT " : string.Empty)}NULL)";
}

public sealed record InExpression(Expression Value, EquatableList<Expression> List, bool Negated = false) : Expression
{
    public override string Sql => $"({Value.Sql}{(Negated ? " NOT" : string.Empty)} IN ({string.Join(", ", List.Select(e => e.Sql))}))";
}

public sealed record BetweenExpression(Expression Value, Expression Low, Expression High, bool Negated = false) : Expression
{
    public override string Sql => $"({Value.Sql}{(Negated ? " NOT" : string.Empty)} BETWEEN {Low.Sql} AND {High.Sql})";
}

public enum LikeKind
{
    Like,
    RLike,
}

/// <summary><c>LIKE</c> (SQL wildcards, escape <c>\</c>) or <c>RLIKE</c>/<c>REGEXP</c> (Java regex, find semantics).</summary>
public sealed record LikeExpression(Expression Value, Expression Pattern, LikeKind Kind = LikeKind.Like, bool Negated = false) : Expression
{
    public override string Sql => $"({Value.Sql}{(Negated ? " NOT" : string.Empty)} {(Kind == LikeKind.Like ? "LIKE" : "RLIKE")} {Pattern.Sql})";
}

public sealed record WhenClause(Expression Condition, Expression Result);

/// <summary><c>CASE [operand] WHEN … THEN … [ELSE …] END</c>.</summary>
public sealed record CaseExpression(Expression? Operand, EquatableList<WhenClause> Branches, Expression? Else) : Expression
{
    public override string Sql =>
        $"CASE{(Operand is null ? string.Empty : " " + Operand.Sql)}{string.Concat(Branches.Select(b => $" WHEN {b.Condition.Sql} THEN {b.Result.Sql}"))}{(Else is null ? string.Empty : " ELSE " + Else.Sql)} END";
}

public sealed record CastExpression(Expression Child, DataType TargetType) : Expression
{
    public override string Sql => $"CAST({Child.Sql} AS {TargetType.SimpleString.ToUpperInvariant()})";
}

/// <summary>A call by name (functions and aggregates alike); resolved against the function registry.</summary>
public sealed record FunctionCall(string Name, EquatableList<Expression> Arguments, bool Distinct = false) : Expression
{
    public FunctionCall(string name, params Expression[] arguments)
        : this(name, new EquatableList<Expression>(arguments))
    {
    }

    public override string Sql => $"{Name}({(Distinct ? "DISTINCT " : string.Empty)}{string.Join(", ", Arguments.Select(a => a.Sql))})";
}

/// <summary><c>expr AS name</c>.</summary>
public sealed record Alias(Expression Child, string Name) : Expression
{
    public override string Sql => $"{Child.Sql} AS {StructType.QuoteIdentifier(Name)}";
}
