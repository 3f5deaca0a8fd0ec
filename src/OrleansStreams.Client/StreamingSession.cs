using Apache.Arrow;
using OrleansStreams.Client.Pipelines;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using TableRelation = OrleansStreams.Engine.Plans.TableRelation;

namespace OrleansStreams.Client;

/// <summary>
/// The entry point, like a SparkSession: <see cref="ReadStream"/> and <see cref="Read"/>, tables and
/// temp views, SQL, and the streaming queries started from DataFrames with <c>WriteStream()</c>.
/// Today's sessions are embedded: queries run in this process on local files or Blob storage.
/// </summary>
public sealed class StreamingSession : IDataFrameSession, IAsyncDisposable
{
    private readonly QuerySession queries;
    private readonly List<StreamingQuery> active = [];

    private StreamingSession(StreamingSessionOptions options)
    {
        Options = options;
        Stores = new ObjectStoreFactory(options.Storage);
        Catalog = new DeltaCatalog(Stores.Create(options.Warehouse), Stores.Create);
        Relations = new DeltaRelations(Catalog, Stores);
        queries = new QuerySession(new SessionRelations(Relations, Stores));
        Logger = options.LoggerFactory?.CreateLogger("OrleansStreams.Streaming") ?? (Microsoft.Extensions.Logging.ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The options the session was created with.</summary>
    public StreamingSessionOptions Options { get; }

    /// <summary>The warehouse's Delta tables by name.</summary>
    public DeltaCatalog Catalog { get; }

    /// <summary>How the session reaches storage locations (local folders, Blob URIs), with the options' credentials.</summary>
    public ObjectStoreFactory Stores { get; }

    /// <summary>Tables by name or path, as queries resolve them.</summary>
    internal DeltaRelations Relations { get; }

    /// <summary>
    /// A Delta table by name (<c>events</c>, <c>db.events</c>) or path (<c>delta.`/data/events`</c>), for maintenance:
    /// OPTIMIZE, VACUUM, DESCRIBE DETAIL, history (PySpark's <c>DeltaTable.forName</c> / <c>forPath</c>).
    /// </summary>
    public DeltaTableHandle DeltaTable(string nameOrPath) => DeltaTable(SqlParser.ParseTableName(nameOrPath));

    private DeltaTableHandle DeltaTable(QualifiedName name) => new(this, name);

    /// <summary>The logger of queries run in this process.</summary>
    internal Microsoft.Extensions.Logging.ILogger Logger { get; }

    /// <summary>A session running everything in this process (local files by default, no cloud account needed).</summary>
    public static StreamingSession Embedded(StreamingSessionOptions? options = null) => new(options ?? new StreamingSessionOptions());

    /// <summary>
    /// A session whose streaming queries run on a cluster, through a grain client connected to it: they keep
    /// running when this process goes, and starting the same query (same checkpoint) again re-attaches to it.
    /// </summary>
    public static StreamingSession Connect(IGrainFactory cluster, StreamingSessionOptions? options = null) =>
        new(options ?? new StreamingSessionOptions()) { connected = cluster };

    private IGrainFactory? connected;

    /// <summary>The grain client this session opened itself (and closes with it).</summary>
    private ClusterConnection? ownConnection;

    /// <summary>
    /// Connects to the cluster described by <paramref name="cluster"/> (its gateways come from the membership table)
    /// and returns a session whose queries run there; disposing the session closes the connection, not the queries.
    /// </summary>
    public static async Task<StreamingSession> ConnectAsync(Clustering.ClusterSettings cluster, StreamingSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var connection = await ClusterConnection.ConnectAsync(cluster, cancellationToken).ConfigureAwait(false);
        return new StreamingSession(options ?? new StreamingSessionOptions()) { connected = connection.Client, ownConnection = connection };
    }

    /// <summary>The queries the cluster knows, running or stopped, from its query registry.</summary>
    public async Task<IReadOnlyList<Runtime.Grains.QueryRegistration>> ListClusterQueriesAsync()
    {
        var grains = await GrainsAsync().ConfigureAwait(false);
        return await grains.GetGrain<Runtime.Grains.IQueryRegistryGrain>(Runtime.Grains.IQueryRegistryGrain.Key).ListAsync().ConfigureAwait(false);
    }

    /// <summary>Every query the cluster knows with its grain's status and definition, the running ones first (what <c>queries</c>, <c>status</c> and the streams UI show).</summary>
    public async Task<IReadOnlyList<Runtime.Grains.ClusterQuery>> ListClusterQueryStatesAsync() =>
        await Runtime.Grains.ClusterQuery.ListAsync(await GrainsAsync().ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>
    /// What the grain of the query on <paramref name="checkpointLocation"/> (a registration's) reports: whether it
    /// runs, where, and its last progress. A query that should be running and is not active resumes on this call.
    /// </summary>
    public async Task<Runtime.Grains.QueryStatus> GetClusterQueryStatusAsync(string checkpointLocation)
    {
        var grains = await GrainsAsync().ConfigureAwait(false);
        return await grains.GetGrain<Runtime.Grains.IStreamingQueryGrain>(checkpointLocation).GetStatusAsync().ConfigureAwait(false);
    }

    /// <summary>Re-attaches to the query last started on the cluster under <paramref name="queryName"/>.</summary>
    public async Task<StreamingQuery> AttachByNameAsync(string queryName) =>
        await AttachAsync((await ClusterQueryGrainAsync(queryName).ConfigureAwait(false)).GetPrimaryKeyString(), queryName).ConfigureAwait(false);

    /// <summary>
    /// Stops the cluster query named <paramref name="queryName"/> until it is started again: no new batch starts, and the
    /// running one may finish within the silo's grace period (OrleansStreams:Silo:BatchShutdownGrace); past it, it is
    /// abandoned and the next start replays it. Returns the query as it stopped.
    /// </summary>
    public async Task<Runtime.Grains.QueryStatus> StopClusterQueryAsync(string queryName)
    {
        var grain = await ClusterQueryGrainAsync(queryName).ConfigureAwait(false);
        await grain.StopAsync().ConfigureAwait(false);
        return await grain.GetStatusAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the stopped (or failed) cluster query named <paramref name="queryName"/> again from its registered
    /// definition, where its checkpoint left off, and follows it; a running query is only attached to.
    /// </summary>
    public async Task<StreamingQuery> StartClusterQueryAsync(string queryName)
    {
        var grain = await ClusterQueryGrainAsync(queryName).ConfigureAwait(false);
        await grain.StartRegisteredAsync().ConfigureAwait(false);
        return await AttachAsync(grain.GetPrimaryKeyString(), queryName).ConfigureAwait(false);
    }

    /// <summary>Stops the cluster query named <paramref name="queryName"/> (as <see cref="StopClusterQueryAsync"/>) and starts it again: a new run on the same checkpoint.</summary>
    public async Task<StreamingQuery> RestartClusterQueryAsync(string queryName)
    {
        var grain = await ClusterQueryGrainAsync(queryName).ConfigureAwait(false);
        await grain.StopAsync().ConfigureAwait(false);
        await grain.StartRegisteredAsync().ConfigureAwait(false);
        return await AttachAsync(grain.GetPrimaryKeyString(), queryName).ConfigureAwait(false);
    }

    /// <summary>The grain of the query last started under <paramref name="queryName"/>, as the registry knows it.</summary>
    private async Task<Runtime.Grains.IStreamingQueryGrain> ClusterQueryGrainAsync(string queryName)
    {
        var grains = await GrainsAsync().ConfigureAwait(false);
        var registration = await grains.GetGrain<Runtime.Grains.IQueryRegistryGrain>(Runtime.Grains.IQueryRegistryGrain.Key).FindAsync(queryName).ConfigureAwait(false)
            ?? throw new ArgumentException($"The cluster has no query named '{queryName}'", nameof(queryName));
        return grains.GetGrain<Runtime.Grains.IStreamingQueryGrain>(registration.CheckpointLocation);
    }

    /// <summary>Re-attaches to the query running on the cluster with this checkpoint location.</summary>
    public Task<StreamingQuery> AttachAsync(string checkpointLocation) => AttachAsync(checkpointLocation, null);

    private async Task<StreamingQuery> AttachAsync(string checkpointLocation, string? queryName)
    {
        var grains = await GrainsAsync().ConfigureAwait(false);
        var key = Stores.Create(checkpointLocation).Root;
        var query = new Runtime.Grains.ClusterStreamingQuery(grains.GetGrain<Runtime.Grains.IStreamingQueryGrain>(key), queryName, Options.PollInterval);
        await query.AttachAsync().ConfigureAwait(false);
        Track(query);
        return query;
    }

    /// <summary>Whether Delta-sink queries run on grains (always when connected; by option when embedded).</summary>
    internal bool RunsOnGrains => connected is not null || Options.RunQueriesOnSilo;

    /// <summary><c>spark.readStream</c>: Auto Loader (<c>cloudFiles</c>), file or Delta table sources as a streaming DataFrame.</summary>
    public DataStreamReader ReadStream => new(this);

    /// <summary><c>spark.read</c>: files or Delta tables as a batch DataFrame.</summary>
    public DataFrameReader Read => new(this);

    /// <summary>The queries started from this session that are still running.</summary>
    public IReadOnlyList<StreamingQuery> ActiveQueries
    {
        get
        {
            lock (active)
            {
                return active.Where(q => q.IsActive).ToList();
            }
        }
    }

    /// <summary>A table or temp view as a batch DataFrame.</summary>
    public DataFrame Table(string name) =>
        streamingViews.TryGetValue(name, out var view) ? new DataFrame(new SubqueryAlias(name, InlineViews(view)), this) : Wrap(queries.Table(name));

    /// <summary>
    /// Runs a statement: a query returns its DataFrame; CREATE TEMP VIEW and SET return null. A view may read
    /// streaming views (<c>CREATE TEMP VIEW counts AS SELECT … FROM books_streaming_tmp_vw GROUP BY …</c>).
    /// </summary>
    public DataFrame? Sql(string text)
    {
        var statement = SqlParser.ParseStatement(text);
        if (statement is OptimizeStatement or VacuumStatement or DescribeStatement { Kind: DescribeKind.Detail or DescribeKind.History })
        {
            return SynchronousApi.Wait(() => RunMaintenanceAsync(statement));
        }

        if (statement is CreateViewStatement { Global: false } view && SqlPlanner.Plan(view.Query) is var plan && InlineViews(plan).IsStreaming)
        {
            if (!view.OrReplace && streamingViews.ContainsKey(view.Name.ToString()))
            {
                if (view.IfNotExists)
                {
                    return null;
                }

                throw new Engine.Expressions.Analysis.AnalysisException("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS", $"Cannot create the temporary view {view.Name} because it already exists.");
            }

            CreateOrReplaceTempView(view.Name.ToString(), plan);
            return null;
        }

        return queries.Sql(text) is { } frame ? Wrap(frame) : null;
    }

    /// <summary>Runs OPTIMIZE, VACUUM, DESCRIBE DETAIL or DESCRIBE HISTORY now (as Spark SQL does) and returns its result rows.</summary>
    private async Task<DataFrame> RunMaintenanceAsync(SqlStatement statement)
    {
        switch (statement)
        {
            case OptimizeStatement optimize:
                var optimized = DeltaTable(optimize.Table);
                var metrics = await optimized.OptimizeAsync(optimize.Where, CancellationToken.None).ConfigureAwait(false);
                return CreateDataFrame(MaintenanceFrames.OptimizeSchema, [MaintenanceFrames.Optimize(await optimized.LocationAsync().ConfigureAwait(false), metrics)]);
            case VacuumStatement vacuum:
                var vacuumed = DeltaTable(vacuum.Table);
                var result = await vacuumed.VacuumAsync(vacuum.RetainHours, vacuum.DryRun).ConfigureAwait(false);
                return CreateDataFrame(MaintenanceFrames.VacuumSchema, [MaintenanceFrames.Vacuum(await vacuumed.LocationAsync().ConfigureAwait(false), result)]);
            case DescribeStatement { Kind: DescribeKind.History } history:
                return CreateDataFrame(MaintenanceFrames.HistorySchema, [MaintenanceFrames.History(await DeltaTable(history.Name).HistoryAsync().ConfigureAwait(false))]);
            case DescribeStatement describe:
                return CreateDataFrame(MaintenanceFrames.DetailSchema, [MaintenanceFrames.Detail(await DeltaTable(describe.Name).DetailAsync().ConfigureAwait(false))]);
            default:
                throw new ArgumentException($"not a maintenance statement: {statement.Text}", nameof(statement));
        }
    }

    /// <summary>
    /// Runs a SQL pipeline's streaming tables on this session (Delta Live Tables style): see <see cref="SqlPipeline"/>.
    /// Await <see cref="PipelineRun.Completion"/>; cancelling <paramref name="cancellationToken"/> stops the run.
    /// </summary>
    public PipelineRun RunPipeline(SqlPipeline pipeline, PipelineRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        foreach (var setting in pipeline.Settings)
        {
            queries.Set(setting.Key!, setting.Value!);
        }

        var run = new PipelineRun(this, pipeline, options ?? new PipelineRunOptions());
        run.Start();
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => _ = run.StopAsync());
            _ = run.Completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        return run;
    }

    /// <summary>Runs a SQL pipeline to its end (AvailableNow, Once) or until <paramref name="cancellationToken"/> stops it.</summary>
    public async Task<PipelineRun> RunPipelineAsync(SqlPipeline pipeline, PipelineRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = RunPipeline(pipeline, options, cancellationToken);
        await run.Completion.ConfigureAwait(false);
        return run;
    }

    /// <summary>Listens to every query this session starts (Spark's <c>spark.streams.addListener</c>).</summary>
    public void AddListener(IStreamingQueryListener listener)
    {
        lock (active)
        {
            sessionListeners.Add(listener);
        }
    }

    /// <summary>Stops telling <paramref name="listener"/> of this session's queries.</summary>
    public void RemoveListener(IStreamingQueryListener listener)
    {
        lock (active)
        {
            sessionListeners.Remove(listener);
        }
    }

    private readonly List<IStreamingQueryListener> sessionListeners = [];

    internal IReadOnlyList<IStreamingQueryListener> Listeners
    {
        get
        {
            lock (active)
            {
                return sessionListeners.ToList();
            }
        }
    }

    /// <summary>A batch DataFrame over rows already in memory.</summary>
    public DataFrame CreateDataFrame(StructType schema, IReadOnlyList<RecordBatch> batches) => Wrap(queries.CreateDataFrame(schema, batches));

    /// <summary>Runs a batch DataFrame to completion.</summary>
    public Task<IReadOnlyList<RecordBatch>> CollectAsync(DataFrame frame, CancellationToken cancellationToken = default) =>
        queries.CollectAsync(frame, cancellationToken);

    /// <summary>The schema <paramref name="plan"/> produces, with tables and temp views resolved.</summary>
    public StructType ResolveSchema(LogicalPlan plan) => queries.ResolveSchema(InlineViews(plan));

    /// <summary>Names <paramref name="plan"/> for SQL in this session (streaming plans too), replacing a view of the same name.</summary>
    public void CreateOrReplaceTempView(string name, LogicalPlan plan)
    {
        if (InlineViews(plan).IsStreaming)
        {
            // A view over a stream cannot be resolved as a batch; keep it for streaming queries that read it.
            streamingViews[name] = plan;
            queries.DropTempView(name);
            return;
        }

        streamingViews.Remove(name);
        queries.CreateOrReplaceTempView(name, plan);
    }

    /// <summary>
    /// Stops this session's queries (a connected session only detaches from the cluster's, which keep running), shuts
    /// the embedded silo down and closes the connection the session opened.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var query in ActiveQueries)
        {
            // A connected session's queries belong to the cluster: leaving does not stop them.
            if (connected is not null && query is Runtime.Grains.ClusterStreamingQuery cluster)
            {
                await cluster.DetachAsync().ConfigureAwait(false);
            }
            else
            {
                await query.StopAsync().ConfigureAwait(false);
            }
        }

        if (silo is not null)
        {
            await (await silo.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }

        if (ownConnection is not null)
        {
            await ownConnection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<Runtime.Hosting.EmbeddedSilo>? silo;

    /// <summary>The grains queries run on: the connected cluster, or the in-process silo started on first use.</summary>
    internal async Task<IGrainFactory> GrainsAsync()
    {
        if (connected is not null)
        {
            return connected;
        }

        lock (active)
        {
            silo ??= Runtime.Hosting.EmbeddedSilo.StartAsync(new Runtime.Hosting.OrleansStreamsSiloOptions
            {
                StateRoot = Options.StateRoot ?? $"{Options.Warehouse.TrimEnd('/')}/_state",
                Storage = Options.Storage,
                PollInterval = Options.PollInterval,
                // Always there, so a notification-mode pipeline runs on a laptop as on the cluster; with no such query its agents find no queue to read.
                Notifications = Options.Notifications ?? Runtime.Notifications.NotificationOptions.Embedded,
            }, Options.LoggerFactory);
        }

        return (await silo.ConfigureAwait(false)).Grains;
    }

    private readonly Dictionary<string, LogicalPlan> streamingViews = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces references to streaming temp views by their plans (batch views resolve on their own).</summary>
    internal LogicalPlan InlineViews(LogicalPlan plan) => PlanRewriter.Rewrite(plan, node =>
        node is TableRelation { AsOf: null } table && streamingViews.TryGetValue(table.Name, out var view) ? InlineViews(view) : null);

    internal QueryContext Context => queries.Context with { Relations = queries };

    /// <summary>The session's <c>SET</c> settings (spark.sql.session.timeZone, spark.sql.shuffle.partitions, …).</summary>
    internal IReadOnlyDictionary<string, string> Settings => queries.Settings;

    /// <summary>A memory sink's rows become a temp view named after its query, refreshed on each read.</summary>
    internal void RegisterMemorySink(string name, MemorySink sink) => memorySinks[name] = sink;

    /// <summary>The current rows of a memory-sink query (Spark: <c>spark.table(queryName)</c>).</summary>
    public IReadOnlyList<RecordBatch> MemoryTable(string queryName) =>
        memorySinks.TryGetValue(queryName, out var sink) ? sink.Snapshot() : throw new ArgumentException($"No memory sink named {queryName}");

    private readonly Dictionary<string, MemorySink> memorySinks = new(StringComparer.OrdinalIgnoreCase);

    internal void Track(StreamingQuery query)
    {
        lock (active)
        {
            active.Add(query);
        }
    }

    private DataFrame Wrap(DataFrame frame) => new(InlineViews(frame.Plan), this);
}
