using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The relations of one micro-batch: placeholder names bound to in-memory rows (the stream's new
/// rows, an aggregation's emitted rows); every other table goes to the session's relations.
/// </summary>
internal sealed class BatchInputs(IRelationProvider tables) : IRelationProvider
{
    public const string StreamInput = "__stream_input";
    public const string AggregateOutput = "__aggregate_output";

    private readonly Dictionary<string, InMemoryTable> inputs = new(StringComparer.Ordinal);

    public void Set(string name, StructType schema, IReadOnlyList<RecordBatch> rows) => inputs[name] = new InMemoryTable(schema, rows);

    public RelationBinding ResolveTable(TableRelation table) =>
        inputs.TryGetValue(table.Name, out var input) ? new SourceBinding(input.Schema, input) : tables.ResolveTable(table with { Streaming = false });

    public RelationBinding ResolveSource(DataSourceRelation source) => tables.ResolveSource(source with { Streaming = false });
}
