using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// A hash join: the right input is read once into a hash table on its key columns, then each left
/// batch probes it. Equal keys make candidate pairs; the residual condition (the non-equi part of ON)
/// filters them; outer and semi/anti joins then add or keep rows by whether they matched. With no
/// keys every pair is a candidate (a cross join, or a join on a condition that is not an equality).
/// </summary>
public sealed class HashJoinExec : PhysicalOperator
{
    private readonly Plans.JoinType type;
    private readonly IReadOnlyList<BoundExpression> leftKeys;
    private readonly IReadOnlyList<BoundExpression> rightKeys;
    private readonly BoundExpression? residual;
    private readonly PhysicalOperator left;
    private readonly PhysicalOperator right;
    private readonly StructType pairSchema;

    /// <param name="residual">Bound against the left columns followed by the right columns.</param>
    public HashJoinExec(
        Plans.JoinType type,
        IReadOnlyList<BoundExpression> leftKeys,
        IReadOnlyList<BoundExpression> rightKeys,
        BoundExpression? residual,
        PhysicalOperator left,
        PhysicalOperator right)
        : base(OutputSchema(type, left.Schema, right.Schema))
    {
        this.type = type;
        this.leftKeys = leftKeys;
        this.rightKeys = rightKeys;
        this.residual = residual;
        this.left = left;
        this.right = right;
        pairSchema = new StructType(left.Schema.Fields.Concat(right.Schema.Fields));
    }

    public static StructType OutputSchema(Plans.JoinType type, StructType left, StructType right) => type switch
    {
        Plans.JoinType.LeftSemi or Plans.JoinType.LeftAnti => left,
        _ => new StructType(
            left.Fields.Select(f => Nullable(f, type is Plans.JoinType.RightOuter or Plans.JoinType.FullOuter))
                .Concat(right.Fields.Select(f => Nullable(f, type is Plans.JoinType.LeftOuter or Plans.JoinType.FullOuter)))),
    };

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rightBatches = new List<RecordBatch>();
        await foreach (var batch in right.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            rightBatches.Add(batch);
        }

        var build = BatchConcat.Concat(right.Schema, rightBatches);
        var table = new JoinHashTable(rightKeys.Select(k => k.Evaluate(build)).ToList(), build.Length);
        var rightMatched = new bool[build.Length];
        var outputSchema = ArrowTypes.ToArrowSchema(Schema);

        await foreach (var probe in left.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var (leftRows, rightRows) = table.Probe(leftKeys.Select(k => k.Evaluate(probe)).ToList(), probe.Length);
            if (residual is not null && leftRows.Length > 0)
            {
                (leftRows, rightRows) = ApplyResidual(probe, build, leftRows, rightRows);
            }

            foreach (var r in rightRows)
            {
                rightMatched[r] = true;
            }

            var output = Emit(probe, build, leftRows, rightRows, outputSchema);
            if (output.Length > 0)
            {
                yield return output;
            }
        }

        if (type is Plans.JoinType.RightOuter or Plans.JoinType.FullOuter)
        {
            var unmatched = Enumerable.Range(0, build.Length).Where(r => !rightMatched[r]).ToArray();
            if (unmatched.Length > 0)
            {
                var columns = left.Schema.Fields.Select(f => Columns.AllNull(f.Type, unmatched.Length))
                    .Concat(Enumerable.Range(0, build.ColumnCount).Select(c => Gather.Take(build.Column(c), unmatched)));
                yield return new RecordBatch(outputSchema, columns, unmatched.Length);
            }
        }
    }

    private (int[] Left, int[] Right) ApplyResidual(RecordBatch probe, RecordBatch build, int[] leftRows, int[] rightRows)
    {
        var pairs = new RecordBatch(
            ArrowTypes.ToArrowSchema(pairSchema),
            Enumerable.Range(0, probe.ColumnCount).Select(c => Gather.Take(probe.Column(c), leftRows))
                .Concat(Enumerable.Range(0, build.ColumnCount).Select(c => Gather.Take(build.Column(c), rightRows))),
            leftRows.Length);
        var keep = (BooleanArray)residual!.Evaluate(pairs);
        var kept = Enumerable.Range(0, leftRows.Length).Where(i => keep.GetValue(i) == true).ToArray();
        return (kept.Select(i => leftRows[i]).ToArray(), kept.Select(i => rightRows[i]).ToArray());
    }

    private RecordBatch Emit(RecordBatch probe, RecordBatch build, int[] leftRows, int[] rightRows, Schema outputSchema)
    {
        switch (type)
        {
            case Plans.JoinType.LeftSemi or Plans.JoinType.LeftAnti:
                var matched = new bool[probe.Length];
                foreach (var l in leftRows)
                {
                    matched[l] = true;
                }

                var wanted = type == Plans.JoinType.LeftSemi;
                var rows = Enumerable.Range(0, probe.Length).Where(i => matched[i] == wanted).ToArray();
                return new RecordBatch(outputSchema, Enumerable.Range(0, probe.ColumnCount).Select(c => Gather.Take(probe.Column(c), rows)), rows.Length);
            case Plans.JoinType.LeftOuter or Plans.JoinType.FullOuter:
                // Matched pairs, then each left row without a match once, its right side null.
                var hasMatch = new bool[probe.Length];
                foreach (var l in leftRows)
                {
                    hasMatch[l] = true;
                }

                var unmatched = Enumerable.Range(0, probe.Length).Where(i => !hasMatch[i]).ToArray();
                var allLeft = leftRows.Concat(unmatched).ToArray();
                var which = Enumerable.Repeat(0, leftRows.Length).Concat(Enumerable.Repeat(-1, unmatched.Length)).ToArray();
                var allRight = rightRows.Concat(new int[unmatched.Length]).ToArray();
                return Pairs(probe, build, allLeft, allRight, which, outputSchema);
            default:
                return Pairs(probe, build, leftRows, rightRows, Enumerable.Repeat(0, leftRows.Length).ToArray(), outputSchema);
        }
    }

    private static RecordBatch Pairs(RecordBatch probe, RecordBatch build, int[] leftRows, int[] rightRows, int[] rightWhich, Schema outputSchema)
    {
        var columns = Enumerable.Range(0, probe.ColumnCount).Select(c => Gather.Take(probe.Column(c), leftRows))
            .Concat(Enumerable.Range(0, build.ColumnCount).Select(c => build.Length == 0
                ? Columns.AllNull(ArrowTypes.FromArrow(build.Schema.GetFieldByIndex(c).DataType), leftRows.Length)
                : Gather.Pick([build.Column(c)], rightWhich, rightRows)));
        return new RecordBatch(outputSchema, columns, leftRows.Length);
    }

    private static StructField Nullable(StructField field, bool nullable) =>
        nullable ? new StructField(field.Name, field.Type, true, field.Metadata) : field;
}
