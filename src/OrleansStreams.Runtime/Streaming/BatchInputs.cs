using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The relations of one micro-batch: placeholder names bound to in-memory rows (each stream's new
/// rows, what a dropDuplicates kept, an aggregation's emitted rows); every other table goes to <see cref="Tables"/>.
/// </summary>
internal sealed class BatchInputs(IRelationProvider tables) : IRelationProvider
{
    public const string AggregateOutput = "__aggregate_output";
    public const string DeduplicateOutput = "__deduplicate_output";
    private const string StreamInputPrefix = "__stream_input_";

    /// <summary>The name the rows of streaming leaf <paramref name="leaf"/> are bound to.</summary>
    public static string StreamInput(int leaf) => StreamInputPrefix + leaf.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsStreamInput(string name) => name.StartsWith(StreamInputPrefix, StringComparison.Ordinal);

    private readonly Dictionary<string, (StructType Schema, IBatchSource Rows)> inputs = new(StringComparer.Ordinal);

    /// <summary>The tables the plan reads as a batch, as loaded for the batch being run.</summary>
    public IRelationProvider Tables { get; set; } = tables;

    public void Set(string name, StructType schema, IReadOnlyList<RecordBatch> rows) => inputs[name] = (schema, new InMemoryTable(schema, rows));

    /// <summary>Binds <paramref name="name"/> to rows read as the query consumes them.</summary>
    public void SetStream(string name, StructType schema, IAsyncEnumerable<RecordBatch> rows) => inputs[name] = (schema, new StreamedTable(schema, rows));

    public RelationBinding ResolveTable(TableRelation table) =>
        inputs.TryGetValue(table.Name, out var input) ? new SourceBinding(input.Schema, input.Rows) : Tables.ResolveTable(table with { Streaming = false });

    public RelationBinding ResolveSource(DataSourceRelation source) => Tables.ResolveSource(source with { Streaming = false });
}
