using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Rows shaped like the seed's bronze table, and helpers to read a table back as scalars.</summary>
internal static class TableTestData
{
    public static readonly StructType Bronze = DdlParser.ParseSchema(
        "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp TIMESTAMP, year_month STRING");

    public static RecordBatch Batch(StructType schema, IReadOnlyList<object?[]> rows) =>
        new(ArrowTypes.ToArrowSchema(schema), schema.Fields.Select((f, c) => Columns.FromScalars(f.Type, rows.Select(r => r[c]).ToList())), rows.Count);

    /// <summary>Bronze rows with offsets [from, from+count): topics and months vary, keys are sometimes null.</summary>
    public static RecordBatch BronzeRows(long from, int count) => Batch(Bronze, Enumerable.Range(0, count).Select(i =>
    {
        var offset = from + i;
        var topic = (offset % 3) switch { 0 => "orders", 1 => "books", _ => "customers" };
        var month = 1 + (int)(offset % 2);
        return new object?[]
        {
            offset % 4 == 0 ? null : BitConverter.GetBytes(offset), System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{offset}}}"), topic, offset % 2, offset,
            (new DateTimeOffset(2022, month, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000) + offset, $"2022-{month:D2}",
        };
    }).ToList());

    public static async Task<List<object?[]>> ReadAllAsync(DeltaTable table, long? version = null, IReadOnlyList<string>? columns = null)
    {
        var snapshot = await table.GetSnapshotAsync(version);
        var rows = new List<object?[]>();
        await foreach (var batch in table.ReadAsync(snapshot, columns))
        {
            rows.AddRange(Enumerable.Range(0, batch.Length).Select(r => Enumerable.Range(0, batch.ColumnCount).Select(c => Columns.GetScalar(batch.Column(c), r)).ToArray()));
        }

        return rows;
    }

    public static List<object?[]> Rows(RecordBatch batch) =>
        Enumerable.Range(0, batch.Length).Select(r => Enumerable.Range(0, batch.ColumnCount).Select(c => Columns.GetScalar(batch.Column(c), r)).ToArray()).ToList();

    /// <summary>Rows in a stable order for comparing tables whose file order is not defined.</summary>
    public static List<string> Canonical(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(Text))).Order(StringComparer.Ordinal).ToList();

    private static string Text(object? value) => value switch
    {
        null => "∅",
        byte[] b => Convert.ToHexString(b),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
