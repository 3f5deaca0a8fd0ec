using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.DataFrames;

/// <summary>
/// A column expression in the DataFrame API (PySpark's <c>Column</c>). It only builds an
/// unresolved <see cref="Expressions.Expression"/>; nothing is evaluated until a query runs.
/// </summary>
public sealed class Column
{
    public Column(Expression expression) => Expression = expression;

    public Expression Expression { get; }

    public override string ToString() => Expression.Sql;

    public static Column operator +(Column left, object right) => Binary(BinaryOperator.Add, left, right);

    public static Column operator -(Column left, object right) => Binary(BinaryOperator.Subtract, left, right);

    public static Column operator *(Column left, object right) => Binary(BinaryOperator.Multiply, left, right);

    public static Column operator /(Column left, object right) => Binary(BinaryOperator.Divide, left, right);

    public static Column operator %(Column left, object right) => Binary(BinaryOperator.Modulo, left, right);

    public static Column operator >(Column left, object right) => Binary(BinaryOperator.GreaterThan, left, right);

    public static Column operator <(Column left, object right) => Binary(BinaryOperator.LessThan, left, right);

    public static Column operator >=(Column left, object right) => Binary(BinaryOperator.GreaterThanOrEqual, left, right);

    public static Column operator <=(Column left, object right) => Binary(BinaryOperator.LessThanOrEqual, left, right);

    public static Column operator &(Column left, Column right) => Binary(BinaryOperator.And, left, right);

    public static Column operator |(Column left, Column right) => Binary(BinaryOperator.Or, left, right);

    public static Column operator !(Column column) => new(new NotExpression(column.Expression));

    public static Column operator -(Column column) => new(new NegateExpression(column.Expression));

    public Column Plus(object other) => this + other;

    public Column Minus(object other) => this - other;

    public Column Multiply(object other) => this * other;

    public Column Divide(object other) => this / other;

    public Column Mod(object other) => this % other;

    public Column EqualTo(object other) => Binary(BinaryOperator.Equal, this, other);

    public Column NotEqual(object other) => Binary(BinaryOperator.NotEqual, this, other);

    public Column EqNullSafe(object other) => Binary(BinaryOperator.NullSafeEqual, this, other);

    public Column Gt(object other) => this > other;

    public Column Geq(object other) => this >= other;

    public Column Lt(object other) => this < other;

    public Column Leq(object other) => this <= other;

    public Column And(Column other) => this & other;

    public Column Or(Column other) => this | other;

    public Column IsNull() => new(new IsNullExpression(Expression));

    public Column IsNotNull() => new(new IsNullExpression(Expression, Negated: true));

    public Column IsIn(params object[] values) =>
        new(new InExpression(Expression, values.Select(v => Functions.ToExpression(v)).ToEquatableList()));

    public Column Between(object low, object high) =>
        new(new BetweenExpression(Expression, Functions.ToExpression(low), Functions.ToExpression(high)));

    public Column Like(string pattern) => new(new LikeExpression(Expression, Functions.ToExpression(pattern)));

    public Column RLike(string pattern) => new(new LikeExpression(Expression, Functions.ToExpression(pattern), LikeKind.RLike));

    public Column StartsWith(object prefix) => Call("startswith", prefix);

    public Column EndsWith(object suffix) => Call("endswith", suffix);

    public Column Contains(object value) => Call("contains", value);

    public Column Substr(int position, int length) => Functions.Substring(this, position, length);

    /// <summary>A field of a struct column (<c>col("a").getField("b")</c> is <c>a.b</c>).</summary>
    public Column GetField(string name) => Expression is ColumnRef c
        ? new(new ColumnRef(c.NameParts.Append(name).ToEquatableList()))
        : Call("get_field", name);

    /// <summary>Element of an array (0-based, like PySpark's <c>getItem</c>) or value of a map.</summary>
    public Column GetItem(object key) => Call("get_item", key);

    public Column Cast(DataType type) => new(new CastExpression(Expression, type));

    /// <summary>Casts to a type given by its Spark name (<c>"timestamp"</c>, <c>"decimal(10,2)"</c>, <c>"array&lt;int&gt;"</c>).</summary>
    public Column Cast(string typeName) => Cast(DdlParser.ParseType(typeName));

    public Column Alias(string name) => new(new Alias(Unaliased, name));

    public Column As(string name) => Alias(name);

    public Column Name(string name) => Alias(name);

    /// <summary>The <c>WHEN</c> branch of a <see cref="Functions.When"/> chain.</summary>
    public Column When(Column condition, object value)
    {
        if (Expression is not CaseExpression { Else: null } c)
        {
            throw new InvalidOperationException("when() can only be applied on a Column previously generated by when()");
        }

        return new(c with { Branches = c.Branches.Append(new WhenClause(condition.Expression, Functions.ToExpression(value))).ToEquatableList() });
    }

    /// <summary>The <c>ELSE</c> of a <see cref="Functions.When"/> chain.</summary>
    public Column Otherwise(object value)
    {
        if (Expression is not CaseExpression { Else: null } c)
        {
            throw new InvalidOperationException("otherwise() can only be applied once on a Column previously generated by when()");
        }

        return new(c with { Else = Functions.ToExpression(value) });
    }

    public Plans.SortOrder Asc() => new(Expression, Ascending: true);

    public Plans.SortOrder Desc() => new(Expression, Ascending: false);

    public Plans.SortOrder AscNullsLast() => new(Expression, Ascending: true, NullsFirst: false);

    public Plans.SortOrder DescNullsFirst() => new(Expression, Ascending: false, NullsFirst: true);

    public static implicit operator Column(string columnName) => Functions.Col(columnName);

    private Expression Unaliased => Expression is Alias a ? a.Child : Expression;

    private Column Call(string name, params object[] args) =>
        new(new FunctionCall(name, args.Select(a => Functions.ToExpression(a)).Prepend(Expression).ToEquatableList()));

    private static Column Binary(BinaryOperator op, Column left, object right) =>
        new(new BinaryExpression(op, left.Expression, Functions.ToExpression(right)));

    public override bool Equals(object? obj) => obj is Column other && Expression.Equals(other.Expression);

    public override int GetHashCode() => Expression.GetHashCode();
}
