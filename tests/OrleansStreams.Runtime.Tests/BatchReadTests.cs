using OrleansStreams.Client;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>spark.read over raw files: the same decoders as the stream, run once.</summary>
public sealed class BatchReadTests : IDisposable
{
    private readonly TempDirectory temp = new("batch-read");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Json_files_read_as_a_batch_and_queried_with_sqlAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            KafkaRawFiles.Write(temp.Combine("raw", $"day={i}"), i, 10);
        }

        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        spark.Read.Format("json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("raw", "day=[01]")).CreateOrReplaceTempView("raw");

        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT topic, count(*) AS n, max(offset) AS hi FROM raw GROUP BY topic ORDER BY topic")!));

        Assert.Equal(["books", "customers", "orders"], rows.Select(r => r["topic"]!.ToString()));
        Assert.Equal(20, rows.Sum(r => int.Parse(r["n"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("19", rows.Max(r => r["hi"]!.ToString()));
    }

    [Fact]
    public async Task Reading_files_without_a_schema_says_soAsync()
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

        var error = Assert.Throws<ArgumentException>(() => spark.Read.Format("json").Load(temp.Combine("raw")).Schema);

        Assert.Contains("Schema must be specified", error.Message, StringComparison.Ordinal);
    }
}
