using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace OrleansStreams.Bench;

/// <summary>
/// The hand-written baseline: one thread, Utf8JsonReader over each line, rows appended to per-partition
/// column lists (a byte[] per key and value, as such code does), year_month from the epoch millis, and
/// each partition written with Parquet.Net's column API (snappy) once it holds a million rows or at the end.
/// </summary>
internal static class HandLoopIngest
{
    private const int RowsPerFile = 1_000_000;

    private static readonly DataField<byte[]> Key = new("key");
    private static readonly DataField<byte[]> Value = new("value");
    private static readonly DataField<long> PartitionField = new("partition");
    private static readonly DataField<long> Offset = new("offset");
    private static readonly DateTimeDataField Timestamp = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private static readonly ParquetSchema FileSchema = new(Key, Value, PartitionField, Offset, Timestamp);

    public static async Task<JsonObject> RunAsync(string work)
    {
        var output = Path.Combine(work, "handloop");
        var watch = Stopwatch.StartNew();
        var partitions = new Dictionary<(string Topic, int Month), Rows>();
        var files = 0;
        foreach (var path in Directory.EnumerateFiles(Path.Combine(work, "kafka-raw"), "*.json").Order(StringComparer.Ordinal))
        {
            var content = await File.ReadAllBytesAsync(path);
            for (int start = 0, end; start < content.Length; start = end + 1)
            {
                end = Array.IndexOf(content, (byte)'\n', start) is var newline && newline >= 0 ? newline : content.Length;
                if (end == start)
                {
                    continue;
                }

                var row = Parse(content.AsSpan(start, end - start));
                var month = (row.Time.Year * 100) + row.Time.Month;
                if (!partitions.TryGetValue((row.Topic, month), out var rows))
                {
                    partitions[(row.Topic, month)] = rows = new Rows();
                }

                rows.Add(row);
                if (rows.Count == RowsPerFile)
                {
                    await WriteAsync(output, row.Topic, month, rows, files++);
                }
            }
        }

        foreach (var ((topic, month), rows) in partitions.Where(p => p.Value.Count > 0))
        {
            await WriteAsync(output, topic, month, rows, files++);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        Directory.Delete(output, recursive: true);
        return new JsonObject { ["seconds"] = seconds, ["parquetFiles"] = files, ["threads"] = 1 };
    }

    private static Row Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        var row = default(Row);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("key"u8))
            {
                row.Key = reader.GetBytesFromBase64();
            }
            else if (name.SequenceEqual("value"u8))
            {
                row.Value = reader.GetBytesFromBase64();
            }
            else if (name.SequenceEqual("topic"u8))
            {
                row.Topic = reader.GetString()!;
            }
            else if (name.SequenceEqual("partition"u8))
            {
                row.Partition = reader.GetInt64();
            }
            else if (name.SequenceEqual("offset"u8))
            {
                row.Offset = reader.GetInt64();
            }
            else if (name.SequenceEqual("timestamp"u8))
            {
                row.Time = DateTime.UnixEpoch.AddMilliseconds(reader.GetInt64());
            }
        }

        return row;
    }

    private static async Task WriteAsync(string output, string topic, int month, Rows rows, int fileNumber)
    {
        var folder = Path.Combine(output, $"topic={topic}", $"year_month={month / 100:D4}-{month % 100:D2}");
        Directory.CreateDirectory(folder);
        await using (var file = File.Create(Path.Combine(folder, $"part-{fileNumber:D5}.snappy.parquet")))
        await using (var writer = await ParquetWriter.CreateAsync(FileSchema, file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(Key, rows.Keys);
            await group.WriteAsync(Value, rows.Values);
            await group.WriteAsync<long>(PartitionField, rows.Partitions.ToArray());
            await group.WriteAsync<long>(Offset, rows.Offsets.ToArray());
            await group.WriteAsync<DateTime>(Timestamp, rows.Times.ToArray());
            group.CompleteValidate();
        }

        rows.Clear();
    }

    private struct Row
    {
        public byte[] Key;
        public byte[] Value;
        public string Topic;
        public long Partition;
        public long Offset;
        public DateTime Time;
    }

    private sealed class Rows
    {
        public List<byte[]> Keys { get; } = [];

        public List<byte[]> Values { get; } = [];

        public List<long> Partitions { get; } = [];

        public List<long> Offsets { get; } = [];

        public List<DateTime> Times { get; } = [];

        public int Count => Keys.Count;

        public void Add(in Row row)
        {
            Keys.Add(row.Key);
            Values.Add(row.Value);
            Partitions.Add(row.Partition);
            Offsets.Add(row.Offset);
            Times.Add(row.Time);
        }

        public void Clear()
        {
            Keys.Clear();
            Values.Clear();
            Partitions.Clear();
            Offsets.Clear();
            Times.Clear();
        }
    }
}
