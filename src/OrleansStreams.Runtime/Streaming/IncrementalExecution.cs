using Apache.Arrow;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Runs a streaming plan one micro-batch at a time. The stream's leaf reads the batch's new rows;
/// a plan without aggregation is a batch query over them; with an aggregation, its input is computed
/// per batch, folded into the keyed state, and the rows the output mode calls for are emitted and
/// passed through whatever sits above the aggregation (a HAVING, a projection).
/// </summary>
public sealed class IncrementalExecution
{
    private readonly LogicalPlan plan;
    private readonly Aggregate? aggregate;
    private readonly WithWatermark? watermark;
    private readonly BatchInputs inputs;
    private readonly QueryContext context;
    private readonly StructType sourceSchema;
    private readonly long? watermarkDelayMicros;
    private readonly IAggregationShuffle? shuffle;

    /// <param name="plan">The query plan with views inlined; its single streaming leaf is read from the source.</param>
    /// <param name="shuffle">When given, the aggregation's state lives in its partitions (grains), not in the query.</param>
    public IncrementalExecution(LogicalPlan plan, StructType sourceSchema, IRelationProvider tables, QueryContext context, IAggregationShuffle? shuffle = null)
    {
        this.shuffle = shuffle;
        var leaves = plan.Descendants().Where(n => n is TableRelation { Streaming: true } or DataSourceRelation { Streaming: true }).ToList();
        if (leaves.Count != 1)
        {
            throw new NotSupportedException($"A streaming query must read exactly one stream; this one reads {leaves.Count} (unions and joins of streams are not supported yet)");
        }

        var aggregates = plan.Descendants().OfType<Aggregate>().ToList();
        if (aggregates.Count > 1)
        {
            throw new NotSupportedException("Multiple streaming aggregations in one query are not supported (as in Spark before 3.4)");
        }

        if (plan.Descendants().Any(n => n is Deduplicate or Distinct or Sort or Limit) && aggregates.Count == 0)
        {
            throw new NotSupportedException("dropDuplicates, DISTINCT, ORDER BY and LIMIT on a stream without aggregation are not supported yet");
        }

        this.sourceSchema = sourceSchema;
        inputs = new BatchInputs(tables);
        this.context = context with { Relations = inputs };
        this.plan = PlanRewriter.Rewrite(plan, n => ReferenceEquals(n, leaves[0]) ? new TableRelation(BatchInputs.StreamInput, Streaming: false) : null);
        aggregate = this.plan.Descendants().OfType<Aggregate>().SingleOrDefault();
        watermark = this.plan.Descendants().OfType<WithWatermark>().FirstOrDefault();
        watermarkDelayMicros = watermark is null ? null : IntervalText.ParseMicros(watermark.Delay, "watermark delay");
        if (aggregate is not null)
        {
            inputs.Set(BatchInputs.StreamInput, sourceSchema, []);
            Spec = new QueryCompiler(this.context).CompileAggregateInput(aggregate).Spec;
        }

        inputs.Set(BatchInputs.StreamInput, sourceSchema, []);
        inputs.Set(BatchInputs.AggregateOutput, Spec?.OutputSchema ?? StructType.Empty, []);
        OutputSchema = new QueryCompiler(this.context).ResolveSchema(Above());
    }

    /// <summary>The aggregation's spec when the query aggregates (its state is the runtime's to keep).</summary>
    public AggregationSpec? Spec { get; }

    /// <summary>The spec of state the runner itself must keep: none when partitions keep it.</summary>
    public AggregationSpec? LocalStateSpec => shuffle is null ? Spec : null;

    public StructType OutputSchema { get; }

    public bool HasWatermark => watermark is not null;

    /// <summary>The rows to hand to the sink for this batch, and the largest event time seen (for the watermark).</summary>
    public async Task<(IReadOnlyList<RecordBatch> Rows, long? MaxEventTime, (long Total, long Updated)? StateRows)> RunAsync(
        long batchId, IReadOnlyList<RecordBatch> newRows, AggregationState? state, OutputMode mode, long? watermarkMicros, CancellationToken cancellationToken)
    {
        inputs.Set(BatchInputs.StreamInput, sourceSchema, newRows);
        if (aggregate is null)
        {
            var rows = await BatchResults.CollectAsync(new QueryCompiler(context).Compile(plan), cancellationToken).ConfigureAwait(false);
            return (rows, MaxEventTime(rows, OutputSchema), null);
        }

        var compiled = new QueryCompiler(context).CompileAggregateInput(aggregate);
        long? maxEventTime = null;
        var aggregationRows = new List<RecordBatch>();
        await foreach (var batch in compiled.Input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            maxEventTime = Max(maxEventTime, MaxEventTime([batch], compiled.Input.Schema));
            if (shuffle is null)
            {
                state!.Update(batch, watermarkMicros);
            }
            else
            {
                aggregationRows.Add(batch);
            }
        }

        IReadOnlyList<RecordBatch> emitted;
        (long, long) stateRows;
        if (shuffle is null)
        {
            var updated = state!.ChangedCount;
            emitted = [state.Emit(mode, watermarkMicros)];
            stateRows = (state.GroupCount, updated);
        }
        else
        {
            var shuffled = await shuffle.ApplyAsync(batchId, compiled, aggregationRows, mode, watermarkMicros, cancellationToken).ConfigureAwait(false);
            (emitted, stateRows) = (shuffled.Rows, (shuffled.StateRowsTotal, shuffled.StateRowsUpdated));
        }

        inputs.Set(BatchInputs.AggregateOutput, compiled.Spec.OutputSchema, emitted);
        var output = await BatchResults.CollectAsync(new QueryCompiler(context).Compile(Above()), cancellationToken).ConfigureAwait(false);
        return (output, maxEventTime, stateRows);
    }

    /// <summary>The watermark a batch runs with, from the largest event time of the batches before it.</summary>
    public long? WatermarkFor(long? maxEventTimeSoFar) =>
        watermarkDelayMicros is { } delay && maxEventTimeSoFar is { } max ? max - delay : null;

    /// <summary>The plan above the aggregation, reading the aggregation's emitted rows.</summary>
    private LogicalPlan Above() => aggregate is null
        ? plan
        : PlanRewriter.Rewrite(plan, n => ReferenceEquals(n, aggregate) ? new TableRelation(BatchInputs.AggregateOutput, Streaming: false) : null);

    private long? MaxEventTime(IReadOnlyList<RecordBatch> rows, StructType schema)
    {
        if (watermark is null || schema.IndexOf(watermark.EventTimeColumn) is var column && column < 0)
        {
            return null;
        }

        long? max = null;
        foreach (var batch in rows)
        {
            var times = batch.Column(column);
            for (var i = 0; i < times.Length; i++)
            {
                if (Columns.GetScalar(times, i) is long t)
                {
                    max = Max(max, t);
                }
            }
        }

        return max;
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
