using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Client;

/// <summary>
/// <c>spark.readStream</c>: <c>Format("cloudFiles").Option("cloudFiles.format", "json").Schema(ddl).Load(path)</c>,
/// or <c>Table(name)</c> for a Delta table.
/// </summary>
public sealed class DataStreamReader
{
    private readonly StreamingSession session;
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);
    private string format = "delta";
    private StructType? schema;

    internal DataStreamReader(StreamingSession session) => this.session = session;

    public DataStreamReader Format(string name)
    {
        format = name;
        return this;
    }

    public DataStreamReader Option(string key, string value)
    {
        options[key] = value;
        return this;
    }

    public DataStreamReader Option(string key, bool value) => Option(key, value ? "true" : "false");

    public DataStreamReader Option(string key, long value) => Option(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public DataStreamReader Options(IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            options[key] = value;
        }

        return this;
    }

    /// <summary>A DDL schema such as <c>key BINARY, value BINARY, topic STRING</c>.</summary>
    public DataStreamReader Schema(string ddl)
    {
        schema = DdlParser.ParseSchema(ddl);
        return this;
    }

    public DataStreamReader Schema(StructType value)
    {
        schema = value;
        return this;
    }

    public DataFrame Load(string path) =>
        new(new DataSourceRelation(format, path, new EquatableDictionary(options), schema, Streaming: true), session);

    /// <summary>A Delta table of the catalog as a stream (its options, e.g. maxFilesPerTrigger, apply).</summary>
    public DataFrame Table(string name)
    {
        if (options.Count == 0)
        {
            return new(new SubqueryAlias(name[(name.LastIndexOf('.') + 1)..], new TableRelation(name, Streaming: true)), session);
        }

        var entry = SynchronousApi.Wait(() => session.Catalog.ResolveAsync(name));
        var root = session.Catalog.OpenStore(entry).Root;
        return new(new SubqueryAlias(name[(name.LastIndexOf('.') + 1)..], new DataSourceRelation("delta", root, new EquatableDictionary(options), null, Streaming: true)), session);
    }
}
