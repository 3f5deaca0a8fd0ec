using Apache.Arrow;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Expressions.Functions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using TableRelation = OrleansStreams.Engine.Plans.TableRelation;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// The engine's side of a Spark session: temp views, session settings (<c>SET</c>), SQL and
/// DataFrames, and batch execution. Tables and file sources come from another
/// <see cref="IRelationProvider"/> (the storage layer's catalog); temp views shadow tables of the same name, as in Spark.
/// </summary>
public sealed class QuerySession : IDataFrameSession, IRelationProvider
{
    private readonly Dictionary<string, LogicalPlan> views = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, InMemoryTable> localTables = new(StringComparer.Ordinal);
    private readonly IRelationProvider tables;

    public QuerySession(IRelationProvider tables, FunctionRegistry? functions = null)
    {
        this.tables = tables;
        Functions = functions ?? FunctionRegistry.Default;
    }

    public FunctionRegistry Functions { get; }

    public SessionConfig Config => SessionConfig.FromSettings(settings);

    public IReadOnlyDictionary<string, string> Settings => settings;

    public void Set(string key, string value) => settings[key] = value;

    public QueryContext Context => new(this, Functions, Config);

    /// <summary><c>spark.table(name)</c>: a table or temp view by name.</summary>
    public DataFrame Table(string name) => new(new SubqueryAlias(QualifiedLast(name), new TableRelation(name, Streaming: false)), this);

    /// <summary>A DataFrame over batches in memory.</summary>
    public DataFrame CreateDataFrame(StructType schema, IReadOnlyList<RecordBatch> batches, string name = "local")
    {
        var table = new InMemoryTable(schema, batches);
        var id = $"__local_{Guid.NewGuid():N}";
        localTables[id] = table;
        return new DataFrame(new SubqueryAlias(name, new TableRelation(id, Streaming: false)), this);
    }

    /// <summary>
    /// Runs one statement: a query gives its DataFrame; <c>CREATE TEMP VIEW</c> and <c>SET key = value</c>
    /// take effect and give null. Other statements (tables, streaming tables) belong to the runtime.
    /// </summary>
    public DataFrame? Sql(string text)
    {
        var statement = SqlParser.ParseStatement(text);
        switch (statement)
        {
            case QueryStatement query:
                return new DataFrame(SqlPlanner.Plan(query.Query), this);
            case CreateViewStatement view:
                if (!view.OrReplace && !view.IfNotExists && views.ContainsKey(view.Name.ToString()))
                {
                    throw new Expressions.Analysis.AnalysisException("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS", $"Cannot create the temporary view {view.Name} because it already exists.");
                }

                if (!(view.IfNotExists && views.ContainsKey(view.Name.ToString())))
                {
                    CreateOrReplaceTempView(view.Name.ToString(), SqlPlanner.Plan(view.Query));
                }

                return null;
            case SetStatement { Key: { } key, Value: { } value }:
                Set(key, value);
                return null;
            default:
                throw new NotSupportedException($"{statement.GetType().Name.Replace("Statement", string.Empty, StringComparison.Ordinal)} statements are run by the streaming runtime, not by a query session: {statement.Text}");
        }
    }

    public StructType ResolveSchema(LogicalPlan plan) => new QueryCompiler(Context).ResolveSchema(plan);

    public void CreateOrReplaceTempView(string name, LogicalPlan plan)
    {
        // Resolving now reports a bad view at creation, as Spark does.
        ResolveSchema(plan);
        views[name] = plan;
    }

    public bool DropTempView(string name) => views.Remove(name);

    public IReadOnlyCollection<string> TempViews => views.Keys;

    /// <summary>Runs a batch DataFrame and returns its rows.</summary>
    public Task<IReadOnlyList<RecordBatch>> CollectAsync(DataFrame frame, CancellationToken cancellationToken = default) =>
        BatchResults.CollectAsync(new QueryCompiler(Context).Compile(frame.Plan), cancellationToken);

    public RelationBinding ResolveTable(TableRelation table)
    {
        if (table.AsOf is null && views.TryGetValue(table.Name, out var view))
        {
            return new ViewBinding(view);
        }

        if (localTables.TryGetValue(table.Name, out var local))
        {
            return new SourceBinding(local.Schema, local);
        }

        return tables.ResolveTable(table);
    }

    public RelationBinding ResolveSource(DataSourceRelation source) => tables.ResolveSource(source);

    private static string QualifiedLast(string name) => name[(name.LastIndexOf('.') + 1)..];
}
