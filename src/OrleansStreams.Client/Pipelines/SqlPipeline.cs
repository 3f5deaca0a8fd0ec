using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using TableRelation = OrleansStreams.Engine.Plans.TableRelation;

namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// A SQL pipeline file: <c>CREATE OR REFRESH STREAMING TABLE t [PARTITIONED BY (…)] [TBLPROPERTIES (…)] AS SELECT … FROM STREAM …</c>
/// statements, with temp views and <c>SET</c>s between them. Parsing checks everything that can be checked
/// before a query starts: syntax, statement kinds, schemas, dependencies between tables (no cycles) and each
/// table's output mode under Spark's rules. Run it with <see cref="StreamingSession.RunPipelineAsync"/>.
/// </summary>
public sealed class SqlPipeline
{
    /// <summary>Asks for an output mode instead of the one Spark's rules infer (<c>append</c>, <c>complete</c> or <c>update</c>).</summary>
    public const string OutputModeProperty = "pipelines.outputMode";

    /// <summary>Lets a table's schema grow with new columns, as writeStream's <c>mergeSchema</c> option does.</summary>
    public const string MergeSchemaProperty = "mergeSchema";

    private SqlPipeline(string? sourceName, IReadOnlyList<PipelineTable> tables, IReadOnlyList<SetStatement> settings)
    {
        SourceName = sourceName;
        Tables = tables;
        Settings = settings;
    }

    /// <summary>The file the pipeline came from, used in messages.</summary>
    public string? SourceName { get; }

    /// <summary>The streaming tables in dependency order: every table comes after the tables it reads.</summary>
    public IReadOnlyList<PipelineTable> Tables { get; }

    /// <summary>The <c>SET</c> statements, applied to the session before the tables start.</summary>
    public IReadOnlyList<SetStatement> Settings { get; }

    /// <summary>Reads and parses the pipeline file at <paramref name="path"/> (see <see cref="Parse"/>).</summary>
    public static SqlPipeline Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>
    /// Parses a pipeline script: <c>SET</c> statements, temp views and
    /// <c>CREATE OR REFRESH STREAMING TABLE t AS SELECT ... FROM STREAM src</c> declarations, ordered by dependency.
    /// </summary>
    /// <param name="text">The SQL script.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <exception cref="PipelineException">The script cannot run as written; the message names the line and column.</exception>
    public static SqlPipeline Parse(string text, string? sourceName = null)
    {
        var statements = SqlParser.ParseScript(text, sourceName);
        var views = new Dictionary<string, LogicalPlan>(StringComparer.OrdinalIgnoreCase);
        var declared = new List<(CreateTableStatement Statement, LogicalPlan Plan)>();
        var settings = new List<SetStatement>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case SetStatement { Key: not null, Value: not null } set:
                    settings.Add(set);
                    break;
                case CreateViewStatement view:
                    views[Key(view.Name.ToString())] = Inline(Plan(view.Query, statement, sourceName), views, statement, sourceName);
                    break;
                case CreateTableStatement { Streaming: true, Query: { } query } table:
                    CheckClauses(table, sourceName);
                    declared.Add((table, Inline(Plan(query, statement, sourceName), views, statement, sourceName)));
                    break;
                case CreateTableStatement { Streaming: false } table:
                    throw new PipelineException($"CREATE TABLE {table.Name} is not a streaming table: a pipeline runs CREATE OR REFRESH STREAMING TABLE … AS SELECT … FROM STREAM …", sourceName, statement.Line);
                case CreateTableStatement table:
                    throw new PipelineException($"streaming table {table.Name} needs a query: CREATE OR REFRESH STREAMING TABLE {table.Name} AS SELECT … FROM STREAM …", sourceName, statement.Line);
                default:
                    throw new PipelineException($"a pipeline holds CREATE OR REFRESH STREAMING TABLE, CREATE TEMP VIEW and SET statements, not {Describe(statement)}", sourceName, statement.Line);
            }
        }

        if (declared.Count == 0)
        {
            throw new PipelineException("the pipeline declares no streaming table (CREATE OR REFRESH STREAMING TABLE name AS SELECT … FROM STREAM …)", sourceName);
        }

        var tables = declared.Select(d => Table(d.Statement, d.Plan, declared.Select(x => Key(x.Statement.Name.ToString())).ToHashSet(StringComparer.OrdinalIgnoreCase), sourceName)).ToList();
        return new SqlPipeline(sourceName, DependencyOrder(tables, sourceName), settings);
    }

    private static PipelineTable Table(CreateTableStatement statement, LogicalPlan plan, HashSet<string> tableNames, string? sourceName)
    {
        var name = statement.Name.ToString();
        if (!plan.IsStreaming)
        {
            throw new PipelineException($"streaming table {name} reads no stream: read with FROM STREAM table, STREAM view or STREAM read_files('path', format => 'json', schema => '…')", sourceName, statement.Line);
        }

        var properties = (statement.Properties?.AsEnumerable() ?? []).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var mode = OutputModeOf(plan, properties.GetValueOrDefault(OutputModeProperty), name, statement, sourceName);
        var mergeSchema = properties.TryGetValue(MergeSchemaProperty, out var merge) && ParseBool(merge, statement, sourceName);
        var dependsOn = plan.Descendants().OfType<TableRelation>()
            .Select(t => Key(t.Name))
            .Where(tableNames.Contains)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new PipelineTable(name, plan, mode, statement.PartitionColumns?.ToList() ?? [], mergeSchema, dependsOn, statement.Line);
    }

    /// <summary>
    /// The mode asked for in TBLPROPERTIES, else the first of append and complete that Spark's plan validation
    /// accepts (append without aggregation or with a watermarked one; complete for an aggregation without watermark).
    /// </summary>
    private static OutputMode OutputModeOf(LogicalPlan plan, string? requested, string table, SqlStatement statement, string? sourceName)
    {
        try
        {
            if (requested is not null)
            {
                var mode = OutputModes.Parse(requested);
                StreamingPlanValidator.Validate(plan, mode);
                return mode;
            }

            try
            {
                StreamingPlanValidator.Validate(plan, OutputMode.Append);
                return OutputMode.Append;
            }
            catch (StreamingPlanException) when (Accepts(plan, OutputMode.Complete))
            {
                return OutputMode.Complete;
            }
        }
        catch (Exception e) when (e is StreamingPlanException or ArgumentException)
        {
            throw new PipelineException($"streaming table {table}: {e.Message}", sourceName, statement.Line, inner: e);
        }
    }

    private static bool Accepts(LogicalPlan plan, OutputMode mode)
    {
        try
        {
            StreamingPlanValidator.Validate(plan, mode);
            return true;
        }
        catch (StreamingPlanException)
        {
            return false;
        }
    }

    private static void CheckClauses(CreateTableStatement table, string? sourceName)
    {
        string? unsupported = table switch
        {
            { ColumnsDdl: not null } => "a column list (the schema comes from the query)",
            { Location: not null } => "LOCATION (tables live in the warehouse)",
            { Provider: { } p } when !p.Equals("delta", StringComparison.OrdinalIgnoreCase) => $"USING {p} (streaming tables are Delta tables)",
            _ => null,
        };
        if (unsupported is not null)
        {
            throw new PipelineException($"streaming table {table.Name}: {unsupported} is not supported", sourceName, table.Line);
        }

        foreach (var property in table.Properties?.AsEnumerable() ?? [])
        {
            if (!property.Key.Equals(OutputModeProperty, StringComparison.OrdinalIgnoreCase) && !property.Key.Equals(MergeSchemaProperty, StringComparison.OrdinalIgnoreCase))
            {
                throw new PipelineException($"streaming table {table.Name}: unknown table property '{property.Key}' (accepted: '{OutputModeProperty}', '{MergeSchemaProperty}')", sourceName, table.Line);
            }
        }
    }

    /// <summary>The unresolved plan of a query; a bad schema string is reported where it is in the file.</summary>
    private static LogicalPlan Plan(SqlQuery query, SqlStatement statement, string? sourceName)
    {
        try
        {
            return SqlPlanner.Plan(query);
        }
        catch (SchemaParseException e)
        {
            var (line, column) = Locate(statement, e.Text, e.Position);
            throw new PipelineException($"invalid schema '{e.Text}': {e.Message}", sourceName, line, column, e);
        }
        catch (SqlPlanException e)
        {
            throw new PipelineException(e.Message, sourceName, statement.Line, inner: e);
        }
    }

    /// <summary>Replaces the pipeline's temp views by their plans and drops the <c>LIVE.</c> qualifier of Delta Live Tables.</summary>
    private static LogicalPlan Inline(LogicalPlan plan, Dictionary<string, LogicalPlan> views, SqlStatement statement, string? sourceName) =>
        PlanRewriter.Rewrite(plan, node =>
        {
            if (node is not TableRelation { AsOf: null } table)
            {
                return null;
            }

            var name = table.Name.StartsWith("live.", StringComparison.OrdinalIgnoreCase) ? table.Name[5..] : table.Name;
            if (!views.TryGetValue(Key(name), out var view))
            {
                return name == table.Name ? null : table with { Name = name };
            }

            if (table.Streaming && !view.IsStreaming)
            {
                throw new PipelineException($"STREAM {name}: the view {name} reads no stream (use STREAM inside the view)", sourceName, statement.Line);
            }

            return view;
        });

    /// <summary>Orders tables so each comes after those it reads; a cycle is an error naming it.</summary>
    private static List<PipelineTable> DependencyOrder(List<PipelineTable> tables, string? sourceName)
    {
        var byKey = new Dictionary<string, PipelineTable>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
        {
            if (!byKey.TryAdd(Key(table.Name), table))
            {
                throw new PipelineException($"streaming table {table.Name} is declared twice (first on line {byKey[Key(table.Name)].Line})", sourceName, table.Line);
            }
        }

        var ordered = new List<PipelineTable>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var path = new List<string>();

        void Visit(PipelineTable table)
        {
            var key = Key(table.Name);
            if (done.Contains(key))
            {
                return;
            }

            if (path.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                var cycle = path.SkipWhile(p => !p.Equals(key, StringComparison.OrdinalIgnoreCase)).Append(key);
                throw new PipelineException($"streaming tables read each other in a cycle: {string.Join(" → ", cycle)}", sourceName, table.Line);
            }

            path.Add(key);
            foreach (var dependency in table.DependsOn)
            {
                Visit(byKey[dependency]);
            }

            path.RemoveAt(path.Count - 1);
            done.Add(key);
            ordered.Add(table);
        }

        tables.ForEach(Visit);
        return ordered;
    }

    /// <summary>A table name as the catalog compares it: lower case, without the <c>default.</c> database.</summary>
    internal static string Key(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.StartsWith(Storage.Delta.DeltaCatalog.DefaultDatabase + ".", StringComparison.Ordinal) ? lower[(Storage.Delta.DeltaCatalog.DefaultDatabase.Length + 1)..] : lower;
    }

    /// <summary>The file position of <paramref name="position"/> inside <paramref name="text"/>, a string literal of the statement.</summary>
    private static (int Line, int? Column) Locate(SqlStatement statement, string text, int position)
    {
        var start = statement.Text.IndexOf(text, StringComparison.Ordinal);
        if (start < 0)
        {
            return (statement.Line, null);
        }

        var offset = start + Math.Clamp(position, 0, text.Length);
        var before = statement.Text.AsSpan(0, offset);
        var lastNewline = before.LastIndexOf('\n');
        return (statement.Line + before.Count('\n'), offset - lastNewline);
    }

    private static bool ParseBool(string value, SqlStatement statement, string? sourceName) =>
        bool.TryParse(value, out var result) ? result
            : throw new PipelineException($"table property '{MergeSchemaProperty}' must be 'true' or 'false', not '{value}'", sourceName, statement.Line);

    private static string Describe(SqlStatement statement) => statement switch
    {
        QueryStatement => "a query (run queries with the sql command)",
        _ => $"{statement.GetType().Name.Replace("Statement", string.Empty, StringComparison.Ordinal).ToUpperInvariant()} statements",
    };
}
