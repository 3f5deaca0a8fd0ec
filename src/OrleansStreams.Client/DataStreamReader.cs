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

    /// <summary>The source format: <c>cloudFiles</c> (Auto Loader), <c>delta</c> (the default), or a file format (<c>json</c>, <c>csv</c>, <c>parquet</c>, <c>text</c>) read as a file stream.</summary>
    public DataStreamReader Format(string name)
    {
        format = name;
        return this;
    }

    /// <summary>A source option, such as <c>cloudFiles.format</c>, <c>cloudFiles.schemaLocation</c> or <c>maxFilesPerTrigger</c>; a later value for the same key wins.</summary>
    public DataStreamReader Option(string key, string value)
    {
        options[key] = value;
        return this;
    }

    /// <summary>A boolean source option, written as Spark does (<c>true</c>/<c>false</c>).</summary>
    public DataStreamReader Option(string key, bool value) => Option(key, value ? "true" : "false");

    /// <summary>A numeric source option such as <c>maxFilesPerTrigger</c>.</summary>
    public DataStreamReader Option(string key, long value) => Option(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Several source options at once, as <see cref="Option(string, string)"/> one by one.</summary>
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

    /// <summary>The schema as a <see cref="StructType"/>.</summary>
    public DataStreamReader Schema(StructType value)
    {
        schema = value;
        return this;
    }

    /// <summary>A streaming DataFrame over the files under <paramref name="path"/> (a local folder, <c>abfss://</c>, <c>wasbs://</c> or <c>https://</c> Blob location).</summary>
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
