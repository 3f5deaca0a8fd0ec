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

    public DataFrameReader Format(string name)
    {
        format = name;
        return this;
    }

    public DataFrameReader Option(string key, string value)
    {
        options[key] = value;
        return this;
    }

    public DataFrameReader Schema(string ddl)
    {
        schema = DdlParser.ParseSchema(ddl);
        return this;
    }

    public DataFrame Load(string path) =>
        new(new DataSourceRelation(format, path, new EquatableDictionary(options), schema, Streaming: false), session);

    public DataFrame Table(string name) => session.Table(name);
}
