using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Runs a streaming plan one micro-batch at a time. Each stream leaf reads the batch's new rows of its
/// source; a plan without state is a batch query over them. A dropDuplicates keeps the rows whose key
/// is new; an aggregation's input is computed per batch, folded into the keyed state, and the rows the
/// output mode calls for are emitted and passed through whatever sits above it (a HAVING, a projection).
/// </summary>
public sealed class IncrementalExecution
{
    private readonly LogicalPlan plan;
    private readonly LogicalPlan givenPlan; // as given, streaming leaves and all: what the loader reads the batch tables of
    private readonly IRelationLoader tables;
    private readonly Aggregate? aggregate;
    private readonly Deduplicate? deduplicate;
    private readonly WithWatermark? watermark;
    private readonly BatchInputs inputs;
    private readonly QueryContext context;
    private readonly IReadOnlyList<StructType> sourceSchemas;
    private readonly StructType? deduplicateSchema;
    private readonly long? watermarkDelayMicros;
    private readonly IAggregationShuffle? shuffle;

    /// <summary>The execution of <paramref name="plan"/>, with its batch tables loaded to resolve its schema.</summary>
    /// <param name="plan">The query plan with views inlined; its streaming leaves are read from the sources.</param>
    /// <param name="sourceSchemas">The schema of each streaming leaf's source, in <see cref="StreamingLeaves"/> order.</param>
    /// <param name="tables">Loads the tables the plan reads as a batch; again before each batch, which sees their newest version.</param>
    /// <param name="context">The functions and settings; its relations are replaced by the batch's inputs over the loaded tables.</param>
    /// <param name="shuffle">When given, the aggregation's state lives in its partitions (grains), not in the query.</param>
    public static async Task<IncrementalExecution> CreateAsync(
        LogicalPlan plan, IReadOnlyList<StructType> sourceSchemas, IRelationLoader tables, QueryContext context, IAggregationShuffle? shuffle = null, CancellationToken cancellationToken = default)
    {
        var loaded = await tables.LoadAsync(plan, cancellationToken).ConfigureAwait(false);
        return new IncrementalExecution(plan, sourceSchemas, tables, loaded, context, shuffle);
    }

    private IncrementalExecution(
        LogicalPlan plan, IReadOnlyList<StructType> sourceSchemas, IRelationLoader tables, IRelationProvider loaded, QueryContext context, IAggregationShuffle? shuffle)
    {
        this.shuffle = shuffle;
        this.tables = tables;
        givenPlan = plan;
        var leaves = StreamingLeaves.Of(plan);
        if (leaves.Count == 0 || leaves.Count != sourceSchemas.Count)
        {
            throw new ArgumentException($"The query reads {leaves.Count} streams but {sourceSchemas.Count} sources were given");
        }

        this.sourceSchemas = sourceSchemas;
        inputs = new BatchInputs(loaded);
        this.context = context with { Relations = inputs };
        var rewritten = StreamingLeaves.Replace(plan, (i, _) => new TableRelation(BatchInputs.StreamInput(i), Streaming: false));

        var aggregates = rewritten.Descendants().OfType<Aggregate>().Where(a => ReadsStream(a.Child)).ToList();
        if (aggregates.Count > 1)
        {
            throw new NotSupportedException("Multiple streaming aggregations in one query are not supported (as in Spark before 3.4)");
        }

        var deduplicates = rewritten.Descendants().OfType<Deduplicate>().Where(d => ReadsStream(d.Child)).ToList();
        if (deduplicates.Count > 1)
        {
            throw new NotSupportedException("A streaming query can hold one dropDuplicates; this one has " + deduplicates.Count);
        }

        if (rewritten.Descendants().Any(n => n is Distinct or Sort or Limit && ReadsStream(n)) && aggregates.Count == 0)
        {
            throw new NotSupportedException("DISTINCT, ORDER BY and LIMIT on a stream without aggregation are not supported yet");
        }

        deduplicate = deduplicates.SingleOrDefault();
        if (deduplicate is not null && aggregates.Count == 1 && deduplicate.Child.Descendants().Contains(aggregates[0]))
        {
            throw new NotSupportedException("dropDuplicates over the result of a streaming aggregation is not supported; deduplicate before aggregating");
        }

        watermark = rewritten.Descendants().OfType<WithWatermark>().FirstOrDefault();
        watermarkDelayMicros = watermark is null ? null : IntervalText.ParseMicros(watermark.Delay, "watermark delay");
        SetEmptyInputs();
        if (deduplicate is not null)
        {
            // The rows below the dropDuplicates are computed first; what survives it feeds the rest of the plan.
            deduplicateSchema = new QueryCompiler(this.context).ResolveSchema(deduplicate.Child);
            rewritten = PlanRewriter.Rewrite(rewritten, n => ReferenceEquals(n, deduplicate) ? new TableRelation(BatchInputs.DeduplicateOutput, Streaming: false) : null);
            inputs.Set(BatchInputs.DeduplicateOutput, deduplicateSchema, []);
        }

        this.plan = rewritten;
        aggregate = this.plan.Descendants().OfType<Aggregate>().SingleOrDefault(a => ReadsStream(a.Child));
        if (aggregate is not null)
        {
            Spec = new QueryCompiler(this.context).CompileAggregateInput(aggregate).Spec;
        }

        inputs.Set(BatchInputs.AggregateOutput, Spec?.OutputSchema ?? StructType.Empty, []);
        OutputSchema = new QueryCompiler(this.context).ResolveSchema(Above());
    }

    /// <summary>The aggregation's spec when the query aggregates (its state is the runtime's to keep).</summary>
    public AggregationSpec? Spec { get; }

    public StructType OutputSchema { get; }

    public bool HasWatermark => watermark is not null;

    /// <summary>
    /// Fresh state for what the runner itself keeps (the aggregation's groups unless partitions keep them,
    /// the keys of a dropDuplicates), or null when the query keeps none.
    /// </summary>
    public QueryState? NewLocalState(StateScheme scheme)
    {
        var aggregation = shuffle is null ? Spec?.NewState(scheme.Sketches) : null;
        var deduplication = deduplicate is null ? null : new DeduplicationState(deduplicateSchema!, deduplicate.Columns, watermark?.EventTimeColumn);
        return aggregation is null && deduplication is null ? null : new QueryState(aggregation, deduplication);
    }

    /// <summary>
    /// The rows to hand to the sink for this batch. A stateless query streams them from its sources as the sink reads
    /// them (the largest event time is known once they have been read); an aggregation folds its input into its state
    /// as it is read, and hands on what it emits; a deduplication or an aggregation over partition grains reads its
    /// whole input first.
    /// </summary>
    /// <param name="input">Each source's new rows, in <see cref="StreamingLeaves"/> order.</param>
    public async Task<BatchOutput> RunAsync(
        long batchId, BatchSourceRows input, QueryState? state, OutputMode mode, long? watermarkMicros, StateScheme scheme, CancellationToken cancellationToken)
    {
        inputs.Tables = await tables.LoadAsync(givenPlan, cancellationToken).ConfigureAwait(false);
        if (aggregate is null && deduplicate is null)
        {
            BatchOutput? streamed = null;
            streamed = new BatchOutput(StreamAsync(input, max => streamed!.MaxEventTime = max, CancellationToken.None));
            return streamed;
        }

        if (deduplicate is null && shuffle is null)
        {
            StreamInputs(input); // the aggregation's input streams into its state as it is read; the rest needs the batch's rows held
        }
        else
        {
            var newRows = await input.CollectAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < sourceSchemas.Count; i++)
            {
                inputs.Set(BatchInputs.StreamInput(i), sourceSchemas[i], newRows[i]);
            }
        }

        long? maxEventTime = null;
        (long, long)? stateRows = null;
        if (deduplicate is not null)
        {
            var keys = state!.Deduplication!;
            var rows = await BatchResults.CollectAsync(new QueryCompiler(context).Compile(deduplicate.Child), cancellationToken).ConfigureAwait(false);
            maxEventTime = MaxEventTime(rows, deduplicateSchema!);
            var kept = rows.Select(b => keys.Filter(b, watermarkMicros)).ToList();
            keys.Evict(watermarkMicros);
            inputs.Set(BatchInputs.DeduplicateOutput, deduplicateSchema!, kept);
            stateRows = (keys.Count, keys.ChangedCount);
        }

        if (aggregate is null)
        {
            var rows = await BatchResults.CollectAsync(new QueryCompiler(context).Compile(plan), cancellationToken).ConfigureAwait(false);
            return new BatchOutput(rows.ToAsyncEnumerable(), stateRows) { MaxEventTime = Max(maxEventTime, MaxEventTime(rows, OutputSchema)) };
        }

        var compiled = new QueryCompiler(context).CompileAggregateInput(aggregate);
        var aggregationRows = new List<RecordBatch>();
        await foreach (var batch in compiled.Input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            maxEventTime = Max(maxEventTime, MaxEventTime([batch], compiled.Input.Schema));
            if (shuffle is null)
            {
                state!.Aggregation!.Update(batch, watermarkMicros);
            }
            else
            {
                aggregationRows.Add(batch);
            }
        }

        IReadOnlyList<RecordBatch> emitted;
        if (shuffle is null)
        {
            var groups = state!.Aggregation!;
            var updated = groups.ChangedCount;
            emitted = [groups.Emit(mode, watermarkMicros)];
            stateRows = (groups.GroupCount, updated);
        }
        else
        {
            var shuffled = await shuffle.ApplyAsync(batchId, compiled, aggregationRows, mode, watermarkMicros, scheme, cancellationToken).ConfigureAwait(false);
            (emitted, stateRows) = (shuffled.Rows, (shuffled.StateRowsTotal, shuffled.StateRowsUpdated));
        }

        inputs.Set(BatchInputs.AggregateOutput, compiled.Spec.OutputSchema, emitted);
        var output = await BatchResults.CollectAsync(new QueryCompiler(context).Compile(Above()), cancellationToken).ConfigureAwait(false);
        return new BatchOutput(output.ToAsyncEnumerable(), stateRows) { MaxEventTime = maxEventTime };
    }

    /// <summary>A stateless batch's rows, read from the sources as they are enumerated; each enumeration reads the batch again.</summary>
    private async IAsyncEnumerable<RecordBatch> StreamAsync(BatchSourceRows input, Action<long?> maxEventTime, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamInputs(input);
        long? max = null;
        await foreach (var batch in new QueryCompiler(context).Compile(plan).ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            max = Max(max, MaxEventTime([batch], OutputSchema));
            maxEventTime(max);
            yield return batch;
        }
    }

    /// <summary>Makes each source's rows this batch's stream inputs, read (and counted afresh) as the plan consumes them.</summary>
    private void StreamInputs(BatchSourceRows input)
    {
        input.ResetCounts();
        for (var i = 0; i < sourceSchemas.Count; i++)
        {
            inputs.SetStream(BatchInputs.StreamInput(i), sourceSchemas[i], input.Of(i));
        }
    }

    private static bool ReadsStream(LogicalPlan plan) => plan.Descendants().Any(n => n is TableRelation t && BatchInputs.IsStreamInput(t.Name));

    private void SetEmptyInputs()
    {
        for (var i = 0; i < sourceSchemas.Count; i++)
        {
            inputs.Set(BatchInputs.StreamInput(i), sourceSchemas[i], []);
        }
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
