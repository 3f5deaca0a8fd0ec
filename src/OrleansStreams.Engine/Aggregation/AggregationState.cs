using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// The keyed state of a streaming (or batch) aggregation: groups and their accumulators. Each
/// batch is folded in a column at a time; the groups it touched are remembered so update mode
/// emits only them and a checkpoint can write only them (<see cref="WriteChanges"/>). With a
/// watermark, windows that end at or before it are final: append mode emits and drops them, and
/// late rows for them are ignored.
/// </summary>
public sealed class AggregationState : IIncrementalState
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "OSAG"u8.ToArray();

    private readonly AggregationSpec spec;
    private readonly GroupKeyTable keys;
    private readonly Accumulator[] accumulators;
    private readonly GroupSet changed = new();
    private readonly GroupSet removed = new();
    private bool[] live = [];

    /// <summary>Each row's group in the batch being folded in; reused, so a batch allocates no array of its size.</summary>
    private int[] rowGroups = [];

    internal AggregationState(AggregationSpec spec, SketchHash sketchHash)
    {
        this.spec = spec;
        SketchHash = sketchHash;
        keys = new GroupKeyTable(spec.KeyTypes);
        accumulators = spec.Calls.Select(c => c.Create(sketchHash)).ToArray();
    }

    /// <summary>How this state's <c>approx_count_distinct</c> sketches hash their values.</summary>
    public SketchHash SketchHash { get; }

    /// <summary>Groups currently held.</summary>
    public int GroupCount => live.AsSpan(0, keys.Count).Count(true);

    /// <summary>Groups changed (or removed) since the last <see cref="ClearChanges"/>.</summary>
    public int ChangedCount => changed.Count + removed.Count;

    /// <summary>
    /// Folds a batch in. With a windowed key and a watermark (microseconds), rows whose window already
    /// ended at or before the watermark are dropped as too late.
    /// </summary>
    public void Update(RecordBatch batch, long? watermark = null)
    {
        var (rows, windowStarts) = spec.Window is { } window ? window.Assign(batch) : (null, null);
        if (rows is not null && watermark is { } w)
        {
            var keep = Enumerable.Range(0, rows.Length).Where(i => windowStarts![i] + spec.Window!.SizeMicros > w).ToArray();
            rows = keep.Select(i => rows[i]).ToArray();
            windowStarts = keep.Select(i => windowStarts![i]).ToArray();
        }

        var count = rows?.Length ?? batch.Length;
        if (count == 0)
        {
            return;
        }

        IArrowArray Expand(IArrowArray column) => rows is null ? column : Gather.Take(column, rows);

        var keyColumns = spec.Keys.Select((k, i) => i == spec.WindowIndex ? WindowStartColumn(windowStarts!) : Expand(k!.Evaluate(batch))).ToList();
        if (rowGroups.Length < count)
        {
            rowGroups = new int[Math.Max(count, rowGroups.Length * 2)];
        }

        var groups = rowGroups.AsSpan(0, count);
        keys.Assign(keyColumns, groups);
        EnsureCapacity(keys.Count);
        for (var c = 0; c < accumulators.Length; c++)
        {
            var argument = spec.Calls[c].Argument is { } a ? Expand(a.Evaluate(batch)) : null;
            accumulators[c].Update(argument, groups);
        }

        foreach (var g in groups)
        {
            if (changed.Add(g))
            {
                live[g] = true;
                removed.Remove(g);
            }
        }
    }

    /// <summary>
    /// The rows to write for this batch: every group (complete), the changed groups (update), or the
    /// windows final under the watermark, which are then dropped (append).
    /// </summary>
    public RecordBatch Emit(OutputMode mode, long? watermark = null)
    {
        IReadOnlyList<int> groups = mode switch
        {
            OutputMode.Complete => LiveGroups(),
            OutputMode.Update => changed.Ordered(live),
            _ => FinalWindows(watermark),
        };

        var result = Result(groups);
        if (mode == OutputMode.Append)
        {
            foreach (var g in groups)
            {
                live[g] = false;
                changed.Remove(g);
                removed.Add(g);
            }
        }

        return result;
    }

    /// <summary>
    /// Creates the single group of an aggregation without GROUP BY, so that it has a row even over
    /// no input (count 0, sum NULL), as in SQL.
    /// </summary>
    public void AddGlobalGroup()
    {
        var group = keys.Add([]);
        EnsureCapacity(keys.Count);
        live[group] = true;
        changed.Add(group);
    }

    /// <summary>Forgets which groups changed (after the batch's state was checkpointed).</summary>
    public void ClearChanges()
    {
        changed.Clear();
        removed.Clear();
    }

    /// <summary>
    /// Regroups states whose keys were spread over partitions by another hash (or in another process): each live
    /// group goes to the partition that <see cref="AggregationSpec.PartitionKeys"/> gives its key, and groups with
    /// equal keys are merged by their accumulators, so each key ends in one partition with its exact value.
    /// </summary>
    public static AggregationState[] Repartition(AggregationSpec spec, IEnumerable<AggregationState> parts, int partitions, SketchHash sketchHash)
    {
        var result = Enumerable.Range(0, partitions).Select(_ => spec.NewState(sketchHash)).ToArray();
        foreach (var part in parts)
        {
            var groups = part.LiveGroups();
            var owners = spec.PartitionKeys(part.keys.Decode(groups), groups.Length, partitions);
            for (var i = 0; i < groups.Length; i++)
            {
                result[owners[i]].MergeGroup(part, groups[i]);
            }
        }

        return result;
    }

    /// <summary>Every live group: the whole state.</summary>
    public void WriteSnapshot(Stream output) => Write(output, LiveGroups(), []);

    /// <summary>Only the groups this batch changed or dropped: a checkpoint's size follows the batch, not the state.</summary>
    public void WriteChanges(Stream output) => Write(output, changed.Ordered(live), removed.Ordered());

    /// <summary>Loads a snapshot, or applies a change set on top of what is loaded.</summary>
    public void Apply(Stream input)
    {
        using var reader = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var records = StateFileHeader.Read(reader, Magic, FormatVersion, "aggregation");
        var key = new byte[64];
        for (var r = 0; r < records; r++)
        {
            var isRemoval = reader.ReadBoolean();
            var length = reader.ReadInt32();
            if (key.Length < length)
            {
                key = new byte[Math.Max(length, key.Length * 2)];
            }

            input.ReadExactly(key, 0, length); // BinaryReader reads no further ahead than the values it returned
            var group = keys.Add(key.AsSpan(0, length));
            EnsureCapacity(keys.Count);
            if (isRemoval)
            {
                live[group] = false;
                continue;
            }

            live[group] = true;
            foreach (var accumulator in accumulators)
            {
                accumulator.Read(reader, group);
            }
        }
    }

    /// <summary>Folds a live group of <paramref name="from"/> into the group of the same key here (new or live).</summary>
    private void MergeGroup(AggregationState from, int fromGroup)
    {
        var group = keys.Add(from.keys.KeyOf(fromGroup, stackalloc byte[GroupKeyTable.MaxFixedKeyLength]));
        EnsureCapacity(keys.Count);
        live[group] = true;
        changed.Add(group);
        for (var c = 0; c < accumulators.Length; c++)
        {
            accumulators[c].Merge(group, from.accumulators[c], fromGroup);
        }
    }

    private void Write(Stream output, IReadOnlyList<int> up, IReadOnlyList<int> down)
    {
        using var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        StateFileHeader.Write(writer, Magic, FormatVersion, up.Count + down.Count);
        foreach (var g in down)
        {
            writer.Write(true);
            WriteKey(writer, g);
        }

        foreach (var g in up)
        {
            writer.Write(false);
            WriteKey(writer, g);
            foreach (var accumulator in accumulators)
            {
                accumulator.Write(writer, g);
            }
        }
    }

    private void WriteKey(BinaryWriter writer, int group)
    {
        var key = keys.KeyOf(group, stackalloc byte[GroupKeyTable.MaxFixedKeyLength]);
        writer.Write(key.Length);
        writer.Write(key);
    }

    /// <summary>The ids of the groups held, ascending.</summary>
    private int[] LiveGroups()
    {
        var held = live.AsSpan(0, keys.Count);
        var groups = new int[held.Count(true)];
        var at = 0;
        for (var g = 0; g < held.Length; g++)
        {
            if (held[g])
            {
                groups[at++] = g;
            }
        }

        return groups;
    }

    private List<int> FinalWindows(long? watermark)
    {
        if (spec.Window is not { } window || watermark is not { } w)
        {
            return [];
        }

        return Enumerable.Range(0, keys.Count)
            .Where(g => live[g] && keys.KeyValue(g, spec.WindowIndex) is long start && start + window.SizeMicros <= w)
            .ToList();
    }

    private RecordBatch Result(IReadOnlyList<int> groups)
    {
        var keyColumns = keys.Decode(groups);
        var columns = new List<IArrowArray>();
        for (var k = 0; k < spec.Keys.Count; k++)
        {
            columns.Add(k == spec.WindowIndex
                ? spec.Window!.Output(Enumerable.Range(0, groups.Count).Select(i => Columns.GetScalar(keyColumns[k], i)).ToList())
                : keyColumns[k]);
        }

        columns.AddRange(accumulators.Select(a => a.Result(groups)));
        var fields = columns.Select((c, i) => new Apache.Arrow.Field(i < spec.Keys.Count ? $"__key_{i}" : $"__agg_{i - spec.Keys.Count}", c.Data.DataType, true));
        var results = new RecordBatch(new Schema(fields, null), columns, groups.Count);
        return spec.Output.Evaluate(results);
    }

    private void EnsureCapacity(int groups)
    {
        if (live.Length < groups)
        {
            System.Array.Resize(ref live, Math.Max(groups, live.Length * 2));
        }

        foreach (var accumulator in accumulators)
        {
            accumulator.EnsureCapacity(groups);
        }
    }

    private static IArrowArray WindowStartColumn(long[] starts)
    {
        var column = new PrimitiveColumn<long>(starts.Length);
        starts.CopyTo(column.Values);
        return column.Build(ArrowTypes.ToArrow(Types.LongType.Instance));
    }
}
