using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>A list of named bound expressions evaluated into a new batch with <see cref="OutputSchema"/>.</summary>
public sealed class Projection
{
    private readonly Schema _arrowSchema;

    public Projection(IReadOnlyList<BoundExpression> expressions, StructType outputSchema)
    {
        if (expressions.Count != outputSchema.Count)
        {
            throw new ArgumentException($"{expressions.Count} expressions for an output schema of {outputSchema.Count} columns ({outputSchema.SimpleString})", nameof(outputSchema));
        }

        Expressions = expressions;
        OutputSchema = outputSchema;
        _arrowSchema = ArrowTypes.ToArrowSchema(outputSchema);
    }

    public IReadOnlyList<BoundExpression> Expressions { get; }

    public StructType OutputSchema { get; }

    /// <summary>Binds a select list; columns are named by alias, column name or SQL text, as Spark names them.</summary>
    public static Projection Bind(IEnumerable<Expression> selectList, StructType inputSchema, FunctionRegistry? registry = null, SessionConfig? session = null)
    {
        var items = selectList.ToList();
        var bound = items.Select(e => Analyzer.Bind(e, inputSchema, registry, session)).ToList();
        var fields = items.Select((e, i) => new StructField(Analyzer.OutputName(e), bound[i].Type is NullType ? StringType.Instance : bound[i].Type, bound[i].Nullable));
        return new Projection(bound.Select((b, i) => b.Type is NullType ? new BoundCast(b, StringType.Instance, ZoneRules.Utc, b.Sql) : b).ToList(), new StructType(fields));
    }

    public RecordBatch Evaluate(RecordBatch batch) =>
        new(_arrowSchema, Expressions.Select(e => e.Evaluate(batch)), batch.Length);
}
