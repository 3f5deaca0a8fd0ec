using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>Keeps the rows where a boolean predicate is TRUE (NULL counts as false), copying each column once.</summary>
public sealed class Filter
{
    public Filter(BoundExpression predicate)
    {
        if (predicate.Type is not BooleanType)
        {
            throw new ArgumentException($"a filter predicate must be boolean, but \"{predicate.Sql}\" is {predicate.Type.SimpleString}", nameof(predicate));
        }

        Predicate = predicate;
    }

    public BoundExpression Predicate { get; }

    public static Filter Bind(Expression predicate, StructType inputSchema, FunctionRegistry? registry = null, SessionConfig? session = null)
    {
        var bound = Analyzer.Bind(predicate, inputSchema, registry, session);
        if (bound.Type is not BooleanType)
        {
            throw new AnalysisException(
                "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                $"Cannot resolve \"{predicate.Sql}\" due to data type mismatch: filter expression \"{predicate.Sql}\" of type \"{bound.Type.SimpleString.ToUpperInvariant()}\" is not a boolean.",
                predicate);
        }

        return new Filter(bound);
    }

    public RecordBatch Evaluate(RecordBatch batch)
    {
        var mask = Predicate.Evaluate(batch);
        var validity = new Validity(mask);
        var selected = new List<int>(batch.Length);
        for (var i = 0; i < batch.Length; i++)
        {
            if (LogicKernels.IsTrue(mask, validity, i))
            {
                selected.Add(i);
            }
        }

        if (selected.Count == batch.Length)
        {
            return batch;
        }

        var rows = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(selected);
        var columns = new IArrowArray[batch.ColumnCount];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = Gather.Take(batch.Column(c), rows);
        }

        return new RecordBatch(batch.Schema, columns, selected.Count);
    }
}
