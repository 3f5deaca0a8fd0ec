using Apache.Arrow;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Aggregation;

/// <summary>
/// State whose keys were spread over partitions by a per-process hash is healed by <see cref="AggregationState.Repartition"/>:
/// every key ends in the one partition the stable hash gives it, with the value one state over all the rows would hold.
/// </summary>
public class StateRepartitionTests
{
    private static readonly StructType Events = DdlParser.ParseSchema("user STRING, amount LONG, price DECIMAL(10,2), tag STRING");

    private static readonly string[] Select =
    [
        "user", "count(*) AS n", "sum(amount) AS total", "min(amount) AS low", "max(amount) AS high", "avg(amount) AS mean",
        "sum(price) AS paid", "collect_list(tag) AS tags", "collect_set(tag) AS distinct_tags", "approx_count_distinct(tag) AS approx",
    ];

    private static AggregationSpec Spec() =>
        AggregationSpec.Bind([SqlParser.ParseExpression("user")], Select.Select(s => SqlParser.ParseExpression(s)).ToList(), Events);

    private static object?[][] Input() => Enumerable.Range(0, 900)
        .Select(i => new object?[] { i % 31 == 0 ? null : $"u{i % 23}", i % 11 == 0 ? null : (long)(i * 7 % 101), (decimal)(i % 50) + 0.25m, $"t{i * 13 % 97}" })
        .ToArray();

    /// <summary>Rows as scalars, with list results sorted (merging concatenates lists in another order) and by key.</summary>
    private static List<string> Normalized(IEnumerable<RecordBatch> batches) =>
        Execution.QueryTestKit.Rows(batches)
            .Select(r => string.Join("|", r.Select(v => v is object?[] list ? string.Join(",", list.Select(e => e?.ToString()).Order(StringComparer.Ordinal)) : v?.ToString() ?? "NULL")))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [InlineData(SketchHash.XxHash3)]
    [InlineData(SketchHash.LegacyFnv1a)]
    public void Keys_split_over_partitions_at_random_merge_into_one_exact_group_each(SketchHash sketchHash)
    {
        var spec = Spec();
        var rows = Input();
        var oneState = spec.NewState(sketchHash);
        oneState.Update(Batch(Events, rows));

        // As several processes with different hashes would: each chunk of rows lands in a partition picked at random.
        var random = new Random(12);
        var scattered = Enumerable.Range(0, 5).Select(_ => spec.NewState(sketchHash)).ToArray();
        foreach (var chunk in rows.Chunk(40))
        {
            foreach (var group in chunk.GroupBy(r => (r[0] as string, random.Next(5))))
            {
                scattered[group.Key.Item2].Update(Batch(Events, [.. group]));
            }
        }

        var healed = AggregationState.Repartition(spec, scattered, 4, sketchHash);

        Assert.Equal(Normalized([oneState.Emit(OutputMode.Complete)]), Normalized(healed.Select(s => s.Emit(OutputMode.Complete))));
        Assert.Equal(oneState.GroupCount, healed.Sum(s => s.GroupCount));
        for (var p = 0; p < healed.Length; p++)
        {
            // Each healed partition holds exactly the keys that new rows are routed to it.
            var keys = healed[p].Emit(OutputMode.Complete).Column(0);
            Assert.All(spec.PartitionKeys([keys], keys.Length, 4), owner => Assert.Equal(p, owner));
        }
    }

    [Fact]
    public void A_healed_partition_saves_and_restores_like_any_state()
    {
        var spec = Spec();
        var healed = AggregationState.Repartition(spec, [spec.NewState(), spec.NewState()], 2, SketchHash.XxHash3);
        healed[0].Update(Batch(Events, Input()));
        using var snapshot = new MemoryStream();
        healed[0].WriteSnapshot(snapshot);
        snapshot.Position = 0;

        var restored = spec.NewState();
        restored.Apply(snapshot);

        Assert.Equal(Normalized([healed[0].Emit(OutputMode.Complete)]), Normalized([restored.Emit(OutputMode.Complete)]));
    }

    [Fact]
    public void Rows_and_stored_keys_are_routed_alike()
    {
        var spec = Spec();
        var batch = Batch(Events, Input());
        var state = spec.NewState();
        state.Update(batch);
        var emitted = state.Emit(OutputMode.Complete);

        var byRow = spec.PartitionRows(batch, 8);
        var rowOwner = new Dictionary<string, int>();
        var users = batch.Column(0);
        for (var i = 0; i < batch.Length; i++)
        {
            rowOwner[users.IsNull(i) ? "NULL" : ((StringArray)users).GetString(i)] = byRow[i];
        }

        var byKey = spec.PartitionKeys([emitted.Column(0)], emitted.Length, 8);
        for (var i = 0; i < emitted.Length; i++)
        {
            var user = emitted.Column(0).IsNull(i) ? "NULL" : ((StringArray)emitted.Column(0)).GetString(i);
            Assert.Equal(rowOwner[user], byKey[i]);
        }

        Assert.True(byRow.Distinct().Count() > 4, "the keys should spread over the partitions");
    }
}
