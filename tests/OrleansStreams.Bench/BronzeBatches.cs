using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Formats;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Bench;

/// <summary>
/// The bronze table's rows as the engine holds them before its sink: kafka-raw JSON lines (<see cref="KafkaRawFiles"/>)
/// decoded by our JSON reader in batches of its default size, then the bronze query's two columns (timestamp from the
/// epoch milliseconds, year_month), with the partition columns kept, so the strings are in the file too.
/// </summary>
internal static class BronzeBatches
{
    public static readonly StructType Schema =
        DdlParser.ParseSchema("key BINARY, value BINARY, topic STRING, partition BIGINT, offset BIGINT, timestamp TIMESTAMP, year_month STRING");

    public static async Task<IReadOnlyList<RecordBatch>> GenerateAsync(int rows)
    {
        var options = FileFormatOptions.Parse(new Dictionary<string, string>());
        var reader = new JsonLinesReader(options);
        var raw = DdlParser.ParseSchema(BronzeIngest.Schema);
        var stepMs = KafkaRawFiles.StepMs(rows);
        var decoded = new List<RecordBatch>();
        for (var first = 0; first < rows; first += options.BatchRows)
        {
            var content = KafkaRawFiles.File(first, Math.Min(options.BatchRows, rows - first), stepMs);
            await foreach (var batch in reader.ReadAsync(new MemoryStream(content), raw, "bench"))
            {
                decoded.Add(batch);
            }
        }

        var session = new QuerySession(NoTables.Instance);
        var frame = session.CreateDataFrame(raw, decoded, "raw")
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"));
        var batches = await session.CollectAsync(frame);
        var schema = ArrowTypes.FromArrowSchema(batches[0].Schema);
        return schema.Fields.Select(f => f.Name).SequenceEqual(Schema.Fields.Select(f => f.Name)) && schema.Fields.Select(f => f.Type).SequenceEqual(Schema.Fields.Select(f => f.Type))
            ? batches
            : throw new InvalidOperationException($"the bronze query gave {schema.SimpleString}, not {Schema.SimpleString}");
    }
}
