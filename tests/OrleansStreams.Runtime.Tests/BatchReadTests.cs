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
    public async Task The_hidden_metadata_column_names_each_rows_file_and_stays_out_of_starAsync()
    {
        File.SetLastWriteTimeUtc(KafkaRawFiles.Write(temp.Combine("raw"), 4, 3), new DateTime(2023, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var frame = spark.Read.Format("json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("raw"));

        var named = RowJson.Render(await spark.CollectAsync(frame.SelectExpr("offset", "_metadata.file_name AS file", "_metadata.file_size AS size", "_metadata.file_modification_time AS modified")));

        Assert.DoesNotContain("_metadata", frame.Select("*").Columns);
        Assert.All(named, r => Assert.Equal("part-0004.json", r["file"]!.ToString()));
        Assert.All(named, r => Assert.Equal("2023-05-06 07:08:09+00", r["modified"]!.ToString()));
        Assert.All(named, r => Assert.Equal(new FileInfo(temp.Combine("raw", "part-0004.json")).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), r["size"]!.ToString()));
    }

    [Fact]
    public async Task Reading_files_without_a_schema_says_soAsync()
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

        var error = Assert.Throws<ArgumentException>(() => spark.Read.Format("json").Load(temp.Combine("raw")).Schema);

        Assert.Contains("Schema must be specified", error.Message, StringComparison.Ordinal);
    }
}
