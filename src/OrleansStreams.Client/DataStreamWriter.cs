using System.Globalization;
using Apache.Arrow;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Client;

/// <summary>
/// <c>df.writeStream</c>: trigger, output mode, options (checkpointLocation, mergeSchema), partitionBy,
/// query name, and the sink: <c>ToTable(name)</c>, <c>Start(path)</c> (Delta), console, memory or foreachBatch.
/// </summary>
public sealed class DataStreamWriter
{
    private readonly DataFrame frame;
    private readonly StreamingSession session;
    private readonly Dictionary<string, string> options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IStreamingQueryListener> listeners = [];
    private Trigger trigger = Runtime.Streaming.Trigger.Default;
    private OutputMode mode = Engine.Plans.OutputMode.Append;
    private string format = "delta";
    private IReadOnlyList<string> partitionBy = [];
    private string? queryName;
    private bool restartOnSchemaChange;
    private Func<StructType, IReadOnlyList<RecordBatch>, long, CancellationToken, Task>? foreachBatch;

    internal DataStreamWriter(DataFrame frame, StreamingSession session)
    {
        if (!frame.IsStreaming)
        {
            throw new InvalidOperationException("'writeStream' can be called only on streaming Dataset/DataFrame");
        }

        this.frame = frame;
        this.session = session;
    }

    /// <summary>When batches run: <see cref="Runtime.Streaming.Trigger.ProcessingTime(TimeSpan)"/>, <c>AvailableNow</c>, <c>Once</c>, <c>Continuous</c>; by default the next batch starts as soon as the last ends.</summary>
    public DataStreamWriter Trigger(Trigger value)
    {
        trigger = value;
        return this;
    }

    /// <summary>What each batch writes: append (new rows, the default), complete (the whole result) or update (changed rows).</summary>
    public DataStreamWriter OutputMode(OutputMode value)
    {
        mode = value;
        return this;
    }

    /// <summary><c>"append"</c>, <c>"complete"</c> or <c>"update"</c>.</summary>
    public DataStreamWriter OutputMode(string value) => OutputMode(value.ToLowerInvariant() switch
    {
        "append" => Engine.Plans.OutputMode.Append,
        "complete" => Engine.Plans.OutputMode.Complete,
        "update" => Engine.Plans.OutputMode.Update,
        _ => throw new ArgumentException($"Unknown output mode {value}. Accepted output modes are 'append', 'complete', 'update'"),
    });

    /// <summary>A sink option: <c>checkpointLocation</c> (required for Delta sinks), <c>mergeSchema</c>, <c>path</c>; keys are case-insensitive.</summary>
    public DataStreamWriter Option(string key, string value)
    {
        options[key] = value;
        return this;
    }

    /// <summary>A boolean sink option, such as <c>mergeSchema</c>.</summary>
    public DataStreamWriter Option(string key, bool value) => Option(key, value ? "true" : "false");

    /// <summary>The sink: <c>delta</c> (the default), <c>console</c> or <c>memory</c> (queryable by its query name).</summary>
    public DataStreamWriter Format(string value)
    {
        format = value;
        return this;
    }

    /// <summary>Partitions a Delta sink's files by these columns (Hive-style folders).</summary>
    public DataStreamWriter PartitionBy(params string[] columns)
    {
        partitionBy = columns;
        return this;
    }

    /// <summary>The query's name: shown in progress and the cluster's query list, and the table name of a memory sink.</summary>
    public DataStreamWriter QueryName(string name)
    {
        queryName = name;
        return this;
    }

    /// <summary>
    /// Calls <paramref name="action"/> with each micro-batch's schema, rows and batch id instead of writing to a sink.
    /// A replayed batch is passed again with the same id, so an idempotent action gets exactly-once results.
    /// </summary>
    public DataStreamWriter ForeachBatch(Func<StructType, IReadOnlyList<RecordBatch>, long, CancellationToken, Task> action)
    {
        foreachBatch = action;
        format = "foreachBatch";
        return this;
    }

    /// <summary>
    /// Restart the query by itself when its Auto Loader source meets new columns and records the wider schema
    /// (schemaEvolutionMode addNewColumns): the interrupted batch runs again with the new schema instead of the query
    /// failing with an UnknownFieldException. Off by default, as in Spark, where a job retry does the restart.
    /// </summary>
    public DataStreamWriter RestartOnSchemaChange(bool enabled = true)
    {
        restartOnSchemaChange = enabled;
        return this;
    }

    /// <summary>Adds a listener told of this query's start, progress and termination only (see <see cref="StreamingSession.AddListener"/> for every query).</summary>
    public DataStreamWriter Listener(IStreamingQueryListener listener)
    {
        listeners.Add(listener);
        return this;
    }

    /// <summary>Starts the query writing to the catalog table <paramref name="name"/> (created on the first batch if missing).</summary>
    public async Task<StreamingQuery> ToTableAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!format.Equals("delta", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"ToTable writes Delta tables; the format is {format}");
        }

        if (session.RunsOnGrains)
        {
            return await StartOnSiloAsync(name, sinkIsTable: true, cancellationToken).ConfigureAwait(false);
        }

        var entry = await session.Catalog.ResolveOrCreateAsync(name, cancellationToken).ConfigureAwait(false);
        var table = new DeltaTable(session.Catalog.OpenStore(entry));
        return await StartAsync(new DeltaSink(table, partitionBy, MergeSchema, name, MaxRecordsPerFile), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the query: Delta at <paramref name="path"/>, or the console / memory / foreachBatch sink.</summary>
    public async Task<StreamingQuery> StartAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        if (format.Equals("delta", StringComparison.OrdinalIgnoreCase) && session.RunsOnGrains)
        {
            return await StartOnSiloAsync(path ?? throw new ArgumentException("Start(path) needs a path for the delta format"), sinkIsTable: false, cancellationToken).ConfigureAwait(false);
        }

        IStreamSink sink = format.ToLowerInvariant() switch
        {
            "delta" => new DeltaSink(new DeltaTable(session.Stores.Create(path ?? throw new ArgumentException("Start(path) needs a path for the delta format"))), partitionBy, MergeSchema, path, MaxRecordsPerFile),
            "console" => new ConsoleSink(Console.Out),
            "memory" => new MemorySink(),
            "foreachbatch" => new ForeachBatchSink(foreachBatch!),
            _ => throw new ArgumentException($"Unknown sink format '{format}': use delta, console, memory or foreachBatch"),
        };
        var query = await StartAsync(sink, cancellationToken).ConfigureAwait(false);
        if (sink is MemorySink memory)
        {
            session.RegisterMemorySink(queryName ?? throw new ArgumentException("queryName must be specified for memory sink"), memory);
        }

        return query;
    }

    /// <summary>Hands the query to its grain (keyed by the checkpoint) on the session's silo, after the same checks as a local start.</summary>
    private async Task<StreamingQuery> StartOnSiloAsync(string sink, bool sinkIsTable, CancellationToken cancellationToken)
    {
        var checkpoint = options.TryGetValue("checkpointLocation", out var location) ? location
            : throw new ArgumentException("checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...)");
        var plan = SourcePaths.Absolute(session.InlineViews(frame.Plan));
        StreamingPlanValidator.Validate(plan, mode);
        await StreamSources.ValidateAsync(plan, session.Stores, cancellationToken).ConfigureAwait(false); // checks (or infers) the schemas and the source options here, before the grain does

        if (mode == Engine.Plans.OutputMode.Update)
        {
            throw new InvalidOperationException($"Data source delta does not support Update output mode");
        }

        var definition = new Runtime.Grains.QueryDefinition
        {
            PlanJson = PlanJson.Serialize(plan),
            OutputMode = mode,
            Trigger = trigger,
            Sink = sink,
            SinkIsTable = sinkIsTable,
            PartitionBy = [.. partitionBy],
            MergeSchema = MergeSchema,
            MaxRecordsPerFile = MaxRecordsPerFile,
            CheckpointLocation = session.Stores.Create(checkpoint).Root,
            Warehouse = session.Options.Warehouse,
            QueryName = queryName,
            RestartOnSchemaChange = restartOnSchemaChange,
            TimeZone = session.Context.Session.TimeZone,
            ShufflePartitions = Runtime.Grains.ShufflePartitionCount.FromSettings(session.Settings),
            Retry = QueryRetryPolicy.FromSettings(session.Settings),
        };
        var grains = await session.GrainsAsync().ConfigureAwait(false);
        var grain = grains.GetGrain<Runtime.Grains.IStreamingQueryGrain>(definition.CheckpointLocation);
        var query = new Runtime.Grains.ClusterStreamingQuery(grain, definition.QueryName, session.Options.PollInterval, [.. session.Listeners, .. listeners]) { Definition = definition };
        await query.StartAsync(cancellationToken).ConfigureAwait(false);
        session.Track(query);
        return query;
    }

    private bool MergeSchema => options.TryGetValue("mergeSchema", out var v) && bool.Parse(v);

    private long MaxRecordsPerFile => options.TryGetValue("maxRecordsPerFile", out var v)
        ? long.TryParse(v, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"Option maxRecordsPerFile must be a whole number of rows (0 for no limit), not '{v}'")
        : 0;

    private async Task<StreamingQuery> StartAsync(IStreamSink sink, CancellationToken cancellationToken)
    {
        var checkpoint = Checkpoint(sink);
        var plan = session.InlineViews(frame.Plan);
        StreamingPlanValidator.Validate(plan, mode);

        var spec = new QueryRunnerSpec(plan, session.Catalog, session.Stores, checkpoint, sink, mode, queryName, session.Context, new OnDemandRelations(session.Context.Relations))
        {
            Logger = session.Logger,
        };
        var driver = new QueryDriver(spec.BuildAsync, trigger, session.Options.PollInterval, restartOnSchemaChange, QueryRetryPolicy.FromSettings(session.Settings), session.Logger);
        var query = new LocalStreamingQuery(driver, queryName, [.. session.Listeners, .. listeners]);
        await query.StartAsync(cancellationToken).ConfigureAwait(false);
        session.Track(query);
        return query;
    }

    private IObjectStore Checkpoint(IStreamSink sink)
    {
        if (options.TryGetValue("checkpointLocation", out var location))
        {
            return session.Stores.Create(location);
        }

        if (sink is MemorySink or ConsoleSink or ForeachBatchSink)
        {
            return new LocalFileObjectStore(Path.Combine(Path.GetTempPath(), "orleans-streams-checkpoints", Guid.NewGuid().ToString("N")));
        }

        throw new ArgumentException("checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...)");
    }
}
