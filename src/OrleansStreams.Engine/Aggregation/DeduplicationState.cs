using Apache.Arrow;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// The state of <c>dropDuplicates(cols)</c> on a stream: the keys seen so far. A batch keeps the first
/// row of each key not seen before. When the watermark's event-time column is one of the keys (Spark's
/// rule), rows at or behind the watermark are dropped as late and keys at or behind it are forgotten,
/// which bounds the state; otherwise every key is kept for the life of the query.
/// </summary>
public sealed class DeduplicationState : IIncrementalState
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "OSDD"u8.ToArray();

    private readonly int[] keyColumns;
    private readonly int eventTimeColumn;
    private readonly Dictionary<byte[], long> seen = new(ByteArrayComparer.Instance);
    private readonly HashSet<byte[]> added = new(ByteArrayComparer.Instance);
    private readonly HashSet<byte[]> removed = new(ByteArrayComparer.Instance);

    /// <param name="schema">The rows being deduplicated.</param>
    /// <param name="columns">The key columns; empty means every column (Spark's <c>dropDuplicates()</c>).</param>
    /// <param name="eventTimeColumn">The watermark's column, when the query has one.</param>
    public DeduplicationState(StructType schema, IReadOnlyList<string> columns, string? eventTimeColumn)
    {
        var names = columns.Count == 0 ? schema.FieldNames : columns;
        keyColumns = names.Select(n => schema.IndexOf(n) is var i and >= 0 ? i
            : throw new Expressions.Analysis.AnalysisException("UNRESOLVED_COLUMN", $"Cannot resolve column name \"{n}\" among ({string.Join(", ", schema.FieldNames)}) in dropDuplicates.")).ToArray();
        GroupKeyTable.CheckKeyTypes(keyColumns.Select(i => schema[i].Type).ToList(), "dropDuplicates on");
        var time = eventTimeColumn is null ? -1 : schema.IndexOf(eventTimeColumn);
        this.eventTimeColumn = time >= 0 && keyColumns.Contains(time) && schema[time].Type is TimestampType ? time : -1;
    }

    /// <summary>Keys held now.</summary>
    public int Count => seen.Count;

    /// <summary>Keys added or forgotten since the last <see cref="ClearChanges"/>.</summary>
    public int ChangedCount => added.Count + removed.Count;

    /// <summary>Whether the watermark bounds this state (its event-time column is a key).</summary>
    public bool UsesWatermark => eventTimeColumn >= 0;

    /// <summary>The rows of <paramref name="batch"/> whose key is new (the first of each), not late under the watermark.</summary>
    public RecordBatch Filter(RecordBatch batch, long? watermark)
    {
        var columns = keyColumns.Select(batch.Column).ToList();
        var times = eventTimeColumn >= 0 ? (PrimitiveArray<long>)batch.Column(eventTimeColumn) : null;
        var lookup = seen.GetAlternateLookup<ReadOnlySpan<byte>>();
        var keep = new List<int>();
        var buffer = new byte[64];
        for (var row = 0; row < batch.Length; row++)
        {
            var time = times is not null && times.IsValid(row) ? times.Values[row] : long.MinValue;
            if (times is not null && watermark is { } w && times.IsValid(row) && time <= w)
            {
                continue; // late: its key may already have been forgotten
            }

            var length = GroupKeyTable.Encode(columns, row, ref buffer);
            if (lookup.ContainsKey(buffer.AsSpan(0, length)))
            {
                continue;
            }

            var key = buffer.AsSpan(0, length).ToArray();
            seen[key] = time;
            added.Add(key);
            removed.Remove(key);
            keep.Add(row);
        }

        if (keep.Count == batch.Length)
        {
            return batch;
        }

        var rows = keep.ToArray();
        return new RecordBatch(batch.Schema, batch.Arrays.Select(a => Gather.Take(a, rows)), rows.Length);
    }

    /// <summary>Forgets the keys at or behind the watermark (no row for them can arrive any more).</summary>
    public void Evict(long? watermark)
    {
        if (eventTimeColumn < 0 || watermark is not { } w)
        {
            return;
        }

        foreach (var (key, time) in seen.Where(e => e.Value <= w).ToList())
        {
            seen.Remove(key);
            if (!added.Remove(key))
            {
                removed.Add(key);
            }
        }
    }

    public void ClearChanges()
    {
        added.Clear();
        removed.Clear();
    }

    public void WriteSnapshot(Stream output) => Write(output, seen.Keys, []);

    public void WriteChanges(Stream output) => Write(output, added, removed);

    public void Apply(Stream input)
    {
        using var reader = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var records = StateFileHeader.Read(reader, Magic, FormatVersion, "deduplication");
        for (var r = 0; r < records; r++)
        {
            var isRemoval = reader.ReadBoolean();
            var key = reader.ReadBytes(reader.ReadInt32());
            var time = reader.ReadInt64();
            if (isRemoval)
            {
                seen.Remove(key);
            }
            else
            {
                seen[key] = time;
            }
        }
    }

    private void Write(Stream output, IEnumerable<byte[]> upserts, IEnumerable<byte[]> removals)
    {
        using var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        var up = upserts.ToList();
        var down = removals.ToList();
        StateFileHeader.Write(writer, Magic, FormatVersion, up.Count + down.Count);
        foreach (var key in down)
        {
            writer.Write(true);
            writer.Write(key.Length);
            writer.Write(key);
            writer.Write(0L);
        }

        foreach (var key in up)
        {
            writer.Write(false);
            writer.Write(key.Length);
            writer.Write(key);
            writer.Write(seen[key]);
        }
    }
}
