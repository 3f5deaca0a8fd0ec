using Apache.Arrow;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Aggregation;

public class AggregationStateTests
{
    private static readonly StructType Events = DdlParser.ParseSchema("user STRING, amount LONG, at TIMESTAMP");

    private const long Minute = 60_000_000;

    private static AggregationSpec Spec(string groupBy, params string[] select) =>
        AggregationSpec.Bind(
            groupBy.Length == 0 ? [] : groupBy.Split(";").Select(g => SqlParser.ParseExpression(g)).ToList(),
            select.Select(s => SqlParser.ParseExpression(s)).ToList(),
            Events);

    private static RecordBatch Rows(params object?[][] rows) => Batch(Events, rows);

    private static List<object?[]> Scalars(RecordBatch batch) => Execution.QueryTestKit.Rows([batch]);

    /// <summary>Rows with the window struct replaced by its start.</summary>
    private static List<object?[]> Starts(RecordBatch batch) =>
        Scalars(batch).Select(r => r.Select((v, i) => i == 0 ? ((object?[])v!)[0] : v).ToArray()).ToList();

    [Fact]
    public void Batches_folded_one_by_one_equal_one_fold_of_all_rows()
    {
        var spec = Spec("user", "user", "count(*)", "sum(amount)", "min(amount)", "max(amount)", "avg(amount)");
        var incremental = spec.NewState();
        var oneShot = spec.NewState();
        var rows = Enumerable.Range(0, 300).Select(i => new object?[] { $"u{i % 7}", i % 5 == 0 ? null : (long)i, i * Minute }).ToArray();

        foreach (var chunk in rows.Chunk(37))
        {
            incremental.Update(Rows(chunk));
        }

        oneShot.Update(Rows(rows));

        Assert.Equal(Scalars(oneShot.Emit(OutputMode.Complete)), Scalars(incremental.Emit(OutputMode.Complete)));
        Assert.Equal(7, incremental.GroupCount);
    }

    [Fact]
    public void Update_mode_emits_only_the_groups_the_batch_changed()
    {
        var state = Spec("user", "user", "count(*) AS n").NewState();
        state.Update(Rows(["a", 1L, 0L], ["b", 1L, 0L]));
        state.ClearChanges();

        state.Update(Rows(["b", 2L, 0L], ["c", 3L, 0L]));

        Assert.Equal([["b", 2L], ["c", 1L]], Scalars(state.Emit(OutputMode.Update)));
        Assert.Equal([["a", 1L], ["b", 2L], ["c", 1L]], Scalars(state.Emit(OutputMode.Complete)));
    }

    [Fact]
    public void Tumbling_windows_group_rows_by_the_interval_that_holds_them()
    {
        var state = Spec("window(at, '10 minutes')", "window(at, '10 minutes') AS w", "sum(amount) AS total").NewState();

        state.Update(Rows(["a", 1L, 0L], ["a", 2L, 9 * Minute], ["a", 4L, 10 * Minute], ["a", 8L, null]));

        var rows = Scalars(state.Emit(OutputMode.Complete));
        Assert.Equal([new object?[] { 0L, 10 * Minute }, 3L], rows[0]);
        Assert.Equal([new object?[] { 10 * Minute, 20 * Minute }, 4L], rows[1]);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void Sliding_windows_count_a_row_in_every_window_that_contains_it()
    {
        var state = Spec("window(at, '10 minutes', '5 minutes')", "window(at, '10 minutes', '5 minutes') AS w", "count(*) AS n").NewState();

        state.Update(Rows(["a", 1L, 7 * Minute]));

        Assert.Equal([[0L, 1L], [5 * Minute, 1L]], Starts(state.Emit(OutputMode.Complete)));
    }

    [Fact]
    public void Append_mode_emits_windows_once_the_watermark_passes_them_and_drops_late_rows()
    {
        var state = Spec("window(at, '10 minutes'); user", "window(at, '10 minutes') AS w", "user", "count(*) AS n").NewState();
        state.Update(Rows(["a", 1L, 1 * Minute], ["a", 1L, 12 * Minute]));

        Assert.Empty(Starts(state.Emit(OutputMode.Append, watermark: 5 * Minute)));
        Assert.Equal([[0L, "a", 1L]], Starts(state.Emit(OutputMode.Append, watermark: 10 * Minute)));

        state.Update(Rows(["a", 1L, 2 * Minute], ["a", 1L, 13 * Minute]), watermark: 10 * Minute); // the first is late
        Assert.Equal([[10 * Minute, "a", 2L]], Starts(state.Emit(OutputMode.Append, watermark: 20 * Minute)));
        Assert.Equal(0, state.GroupCount);
    }

    [Fact]
    public void Append_mode_by_window_alone_emits_each_window_once_the_watermark_passes_it()
    {
        // One fixed-width key (the window's start): the state keeps it in its fixed-key table.
        var state = Spec("window(at, '10 minutes')", "window(at, '10 minutes') AS w", "count(*) AS n").NewState();
        state.Update(Rows(["a", 1L, 1 * Minute], ["b", 1L, 3 * Minute], ["a", 1L, 12 * Minute]));

        Assert.Empty(Starts(state.Emit(OutputMode.Append, watermark: 5 * Minute)));
        Assert.Equal([[0L, 2L]], Starts(state.Emit(OutputMode.Append, watermark: 10 * Minute)));
        Assert.Equal([[10 * Minute, 1L]], Starts(state.Emit(OutputMode.Append, watermark: 20 * Minute)));
        Assert.Equal(0, state.GroupCount);
    }

    [Fact]
    public void A_snapshot_plus_change_sets_restores_the_same_state()
    {
        var spec = Spec("user", "user", "count(*)", "sum(amount)", "first(amount)", "collect_list(amount)", "approx_count_distinct(amount)");
        var live = spec.NewState();
        var snapshot = new MemoryStream();
        var changes = new List<MemoryStream>();

        live.Update(Rows(["a", 1L, 0L], ["b", 2L, 0L]));
        live.WriteSnapshot(snapshot);
        live.ClearChanges();
        for (var batch = 0; batch < 3; batch++)
        {
            live.Update(Rows(["a", (long)batch, 0L], [$"n{batch}", 5L, 0L]));
            var delta = new MemoryStream();
            live.WriteChanges(delta);
            changes.Add(delta);
            live.ClearChanges();
        }

        var restored = spec.NewState();
        snapshot.Position = 0;
        restored.Apply(snapshot);
        foreach (var delta in changes)
        {
            delta.Position = 0;
            restored.Apply(delta);
        }

        Assert.Equal(Scalars(live.Emit(OutputMode.Complete)), Scalars(restored.Emit(OutputMode.Complete)));
    }

    [Fact]
    public void A_change_set_grows_with_the_keys_a_batch_touched_not_with_the_state()
    {
        var state = Spec("user", "user", "count(*)").NewState();
        state.Update(Rows(Enumerable.Range(0, 10_000).Select(i => new object?[] { $"user-{i:D5}", 1L, 0L }).ToArray()));
        state.ClearChanges();

        state.Update(Rows(["user-00001", 1L, 0L], ["user-00002", 1L, 0L]));
        var small = new MemoryStream();
        state.WriteChanges(small);
        var full = new MemoryStream();
        state.WriteSnapshot(full);

        Assert.True(small.Length < 100, $"two changed keys took {small.Length} bytes");
        Assert.True(full.Length > 100 * small.Length);
    }

    [Fact]
    public void Group_ids_cover_a_million_rows_over_a_thousand_keys()
    {
        var state = Spec("user", "user", "count(*) AS n").NewState();
        var users = Enumerable.Range(0, 1000).Select(i => $"k{i}").ToArray();
        for (var b = 0; b < 10; b++)
        {
            var column = OrleansStreams.Engine.Expressions.Evaluation.Columns.FromScalars(StringType.Instance, Enumerable.Range(0, 100_000).Select(i => (object?)users[i % 1000]).ToList());
            var empty = OrleansStreams.Engine.Expressions.Evaluation.Columns.AllNull(LongType.Instance, 100_000);
            var times = OrleansStreams.Engine.Expressions.Evaluation.Columns.AllNull(TimestampType.Instance, 100_000);
            state.Update(new RecordBatch(Batches.ArrowTypes.ToArrowSchema(Events), [column, empty, times], 100_000));
        }

        var counts = Scalars(state.Emit(OutputMode.Complete)).Select(r => (long)r[1]!).ToList();
        Assert.Equal(1000, counts.Count);
        Assert.All(counts, c => Assert.Equal(1000L, c));
    }

    [Fact]
    public void Window_arguments_are_checked_at_analysis()
    {
        var error = Assert.Throws<ArgumentException>(() => Spec("window(at, '10 parsecs')", "count(*)"));

        Assert.Contains("10 parsecs", error.Message, StringComparison.Ordinal);
    }
}
