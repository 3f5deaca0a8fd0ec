using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Expressions;

/// <summary>Short builders for expressions and batches, and a one-call evaluate.</summary>
internal static class ExprTestKit
{
    public static ColumnRef Col(params string[] parts) => new(parts);

    public static Literal Lit(object? value) => value switch
    {
        null => Literal.Null(),
        bool => new Literal(value, BooleanType.Instance),
        int => new Literal(value, IntegerType.Instance),
        long => new Literal(value, LongType.Instance),
        double => new Literal(value, DoubleType.Instance),
        decimal m => new Literal(m, new DecimalType(10, m.Scale)),
        string => new Literal(value, StringType.Instance),
        _ => throw new ArgumentException($"no literal for {value.GetType()}"),
    };

    public static OrleansStreams.Engine.Common.EquatableList<Expression> L(params Expression[] items) => new(items);

    public static BinaryExpression Bin(BinaryOperator op, Expression l, Expression r) => new(op, l, r);

    public static FunctionCall Fn(string name, params Expression[] args) => new(name, args);

    public static RecordBatch Batch(StructType schema, params object?[][] rows)
    {
        var columns = schema.Fields.Select((f, c) => Columns.FromScalars(f.Type, rows.Select(r => r[c]).ToList())).ToList();
        return new RecordBatch(ArrowTypes.ToArrowSchema(schema), columns, rows.Length);
    }

    public static RecordBatch OneRow() => new(new Schema.Builder().Build(), [], 1);

    /// <summary>Binds against the batch's schema and evaluates; returns each row's scalar.</summary>
    public static object?[] Eval(Expression expression, RecordBatch batch, SessionConfig? session = null)
    {
        var schema = ArrowTypes.FromArrowSchema(batch.Schema);
        var bound = Analyzer.Bind(expression, schema, session: session);
        var result = bound.Evaluate(batch);
        Assert.Equal(batch.Length, result.Length);
        Assert.Equal(ArrowTypes.ToArrow(bound.Type).TypeId, result.Data.DataType.TypeId);
        return Enumerable.Range(0, result.Length).Select(i => Columns.GetScalar(result, i)).ToArray();
    }

    /// <summary>Evaluates a constant expression on a one-row batch.</summary>
    public static object? Scalar(Expression expression, SessionConfig? session = null) => Eval(expression, OneRow(), session)[0];
}
