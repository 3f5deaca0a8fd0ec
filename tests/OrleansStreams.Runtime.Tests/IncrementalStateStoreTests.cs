using Apache.Arrow;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The state store's files: a state saved batch by batch (deltas, with snapshots written in the background) loads
/// as it was after any batch, and a snapshot that could not be written changes nothing that loads.
/// </summary>
public sealed class IncrementalStateStoreTests : IDisposable
{
    private static readonly StructType Input = DdlParser.ParseSchema("key BIGINT");

    private static readonly AggregationSpec Spec = AggregationSpec.Bind(
        [SqlParser.ParseExpression("key")], [SqlParser.ParseExpression("key"), SqlParser.ParseExpression("count(*) AS n")], Input);

    private readonly TempDirectory temp = new("state-store");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_state_saved_batch_by_batch_loads_as_it_was_after_each_batchAsync()
    {
        var store = new IncrementalStateStore(new LocalFileObjectStore(temp.Path), "state", snapshotInterval: 5);
        var expected = await SaveBatchesAsync(store, batches: 13);
        await store.FlushAsync();

        Assert.True(File.Exists(temp.Combine("state", "4.snapshot")));
        Assert.True(File.Exists(temp.Combine("state", "9.snapshot")));
        for (var batch = 0; batch < expected.Count; batch++)
        {
            var loaded = await new IncrementalStateStore(new LocalFileObjectStore(temp.Path), "state", snapshotInterval: 5).LoadAsync(Spec.NewState(), batch, CancellationToken.None);
            Assert.Equal(expected[batch], Counts(loaded));
        }
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_written_fails_no_batch_and_loading_reads_the_deltasAsync()
    {
        // A folder where the snapshot of batch 4 would go: writing it fails.
        Directory.CreateDirectory(temp.Combine("state", "4.snapshot", "in-the-way"));
        var store = new IncrementalStateStore(new LocalFileObjectStore(temp.Path), "state", snapshotInterval: 5);

        var expected = await SaveBatchesAsync(store, batches: 8);
        await store.FlushAsync();

        var loaded = await new IncrementalStateStore(new LocalFileObjectStore(temp.Path), "state", snapshotInterval: 5).LoadAsync(Spec.NewState(), 7, CancellationToken.None);
        Assert.Equal(expected[7], Counts(loaded));
    }

    /// <summary>Folds and saves batches of keys; returns the expected count per key after each batch.</summary>
    private static async Task<List<SortedDictionary<long, long>>> SaveBatchesAsync(IncrementalStateStore store, int batches)
    {
        var state = Spec.NewState();
        var random = new Random(7);
        var counts = new SortedDictionary<long, long>();
        var expected = new List<SortedDictionary<long, long>>();
        for (var batch = 0; batch < batches; batch++)
        {
            var keys = new PrimitiveColumn<long>(500);
            for (var i = 0; i < 500; i++)
            {
                keys.Values[i] = random.Next(2_000);
                counts[keys.Values[i]] = counts.GetValueOrDefault(keys.Values[i]) + 1;
            }

            state.Update(new RecordBatch(ArrowTypes.ToArrowSchema(Input), [keys.Build(Apache.Arrow.Types.Int64Type.Default)], 500));
            await store.SaveAsync(batch, state, CancellationToken.None);
            expected.Add(new SortedDictionary<long, long>(counts));
        }

        return expected;
    }

    private static SortedDictionary<long, long> Counts(AggregationState state)
    {
        var rows = state.Emit(OutputMode.Complete);
        var keys = (Int64Array)rows.Column(0);
        var counts = (Int64Array)rows.Column(1);
        return new SortedDictionary<long, long>(Enumerable.Range(0, rows.Length).ToDictionary(i => keys.GetValue(i)!.Value, i => counts.GetValue(i)!.Value));
    }
}
