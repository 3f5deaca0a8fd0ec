using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Client;

/// <summary><c>spark.read</c>: <c>Format("json").Schema(ddl).Load(path)</c>, <c>Format("delta").Load(path)</c> or <c>Table(name)</c>.</summary>
public sealed class DataFrameReader
{
    private readonly StreamingSession session;
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);
    private string format = "delta";
    private StructType? schema;

    internal DataFrameReader(StreamingSession session) => this.session = session;

    /// <summary>The source format: <c>delta</c> (the default), <c>json</c>, <c>csv</c>, <c>parquet</c> or <c>text</c>.</summary>
    public DataFrameReader Format(string name)
    {
        format = name;
        return this;
    }

    /// <summary>A source option, such as <c>header</c> for CSV or <c>versionAsOf</c> for Delta; a later value for the same key wins.</summary>
    public DataFrameReader Option(string key, string value)
    {
        options[key] = value;
        return this;
    }

    /// <summary>The schema as a DDL string, such as <c>id LONG, name STRING</c>; file formats without one infer it.</summary>
    public DataFrameReader Schema(string ddl)
    {
        schema = DdlParser.ParseSchema(ddl);
        return this;
    }

    /// <summary>A batch DataFrame over the files or the Delta table at <paramref name="path"/> (a local folder or a Blob location).</summary>
    public DataFrame Load(string path) =>
        new(new DataSourceRelation(format, path, new EquatableDictionary(options), schema, Streaming: false), session);

    /// <summary>A batch DataFrame over the catalog's table (or temp view) <paramref name="name"/>, as <c>spark.read.table</c>.</summary>
    public DataFrame Table(string name) => session.Table(name);
}
