using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Parquet;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>CSV, Parquet and text files through Auto Loader into a Delta table (on the silo, files decoded by scan workers), and read as a batch.</summary>
public sealed class FileFormatSourceTests : IDisposable
{
    private const string Ddl = "id INT, name STRING, score DOUBLE";

    private readonly TempDirectory temp = new("file-formats");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

    private static readonly (int Id, string Name, double Score)[][] Files =
    [
        [(1, "ann", 1.5), (2, "bob", 2.25)],
        [(3, "cy", -4.0)],
    ];

    /// <summary>The rows as <c>id:name:score</c>, or the lines for text files.</summary>
    private static string[] Expected(string format) => format == "text"
        ? ["1 ann 1.5", "2 bob 2.25", "3 cy -4"]
        : ["1:ann:1.5", "2:bob:2.25", "3:cy:-4"];

    /// <summary>Writes the two files in the format; text files hold one line per row.</summary>
    private async Task WriteFilesAsync(string format, string folder)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < Files.Length; i++)
        {
            var path = Path.Combine(folder, $"part-{i}.{format switch { "text" => "txt", _ => format }}");
            var rows = Files[i];
            switch (format)
            {
                case "csv":
                    await File.WriteAllLinesAsync(path, ["id,name,score", .. rows.Select(r => FormattableString.Invariant($"{r.Id},{r.Name},{r.Score}"))]);
                    break;
                case "text":
                    await File.WriteAllLinesAsync(path, rows.Select(r => FormattableString.Invariant($"{r.Id} {r.Name} {r.Score}")));
                    break;
                case "parquet":
                    var schema = DdlParser.ParseSchema(Ddl);
                    await using (var file = File.Create(path))
                    {
                        await ParquetBatchWriter.WriteAsync(file, schema, [RecordBatches.Of(schema, [.. rows.Select(r => new object?[] { r.Id, r.Name, r.Score })])]);
                    }

                    break;
            }

            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-100 + i));
        }
    }

    private static string[] Render(IEnumerable<Apache.Arrow.RecordBatch> batches, string format) =>
        [.. RowJson.Render(batches).Select(r => format == "text" ? r["value"]!.ToString() : $"{r["id"]}:{r["name"]}:{r["score"]}").Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    [InlineData("text")]
    public async Task Files_of_each_format_stream_into_a_delta_tableAsync(string format)
    {
        await WriteFilesAsync(format, temp.Combine("in"));
        await using var spark = Session();
        var reader = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", format).Option("cloudFiles.maxFilesPerTrigger", "1");
        if (format != "text")
        {
            reader.Schema(Ddl);
        }

        if (format == "csv")
        {
            reader.Option("header", "true");
        }

        var query = await reader.Load(temp.Combine("in")).WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", format))
            .Trigger(Trigger.AvailableNow)
            .ToTableAsync("ingested");
        Assert.True(await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(query.Exception);

        Assert.Equal([2L, 1L], query.RecentProgress.Select(p => p.NumInputRows));
        Assert.Equal(Expected(format), Render(await spark.CollectAsync(spark.Table("ingested")), format));
        Assert.Equal(3, DuckDbDelta.ReadRows(temp.Combine("warehouse", "ingested")).Count);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    [InlineData("text")]
    public async Task Files_of_each_format_read_as_a_batchAsync(string format)
    {
        await WriteFilesAsync(format, temp.Combine("in"));
        await using var spark = Session();
        var reader = spark.Read.Format(format);
        if (format != "text")
        {
            reader.Schema(Ddl);
        }

        if (format == "csv")
        {
            reader.Option("header", "true");
        }

        reader.Load(temp.Combine("in")).CreateOrReplaceTempView("files");
        var filtered = format == "text" ? "SELECT value FROM files WHERE value LIKE '%a%'" : "SELECT id, name, score FROM files WHERE name LIKE '%a%'";

        Assert.Equal(Expected(format), Render(await spark.CollectAsync(spark.Table("files")), format));
        Assert.Equal(["1"], RowJson.Render(await spark.CollectAsync(spark.Sql(filtered)!)).Select(r => format == "text" ? r["value"]!.ToString()[..1] : r["id"]!.ToString()));
    }
}
