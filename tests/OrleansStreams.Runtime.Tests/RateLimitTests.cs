using System.Collections.Concurrent;
using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// maxFilesPerTrigger and maxBytesPerTrigger (sizes with units, as Spark takes them) on an Auto Loader source and
/// on a Delta source: each batch stays within the limit, except that a file larger than the limit is taken alone.
/// </summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly TempDirectory temp = new("rate-limits");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

    /// <summary>A one-line JSON file of exactly <paramref name="bytes"/> bytes; files sort by <paramref name="index"/> in listings.</summary>
    private void WriteSized(int index, int bytes)
    {
        var head = "{\"id\":" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"pad\":\"";
        var line = head + new string('x', bytes - head.Length - 3) + "\"}\n";
        var path = temp.Combine("in", $"f{index}.json");
        Directory.CreateDirectory(temp.Combine("in"));
        File.WriteAllText(path, line);
        Assert.Equal(bytes, new FileInfo(path).Length);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-1000 + index));
    }

    /// <summary>Runs the query with AvailableNow into foreachBatch and returns each batch's ids, in batch order.</summary>
    private static async Task<List<string>> BatchesAsync(Engine.DataFrames.DataFrame frame)
    {
        var seen = new ConcurrentDictionary<long, string>();
        var query = await frame.WriteStream()
            .ForeachBatch((schema, rows, batchId, _) =>
            {
                var ids = RowJson.Render(rows).Select(r => r["id"]!.ToString()).Order(StringComparer.Ordinal);
                seen[batchId] = string.Join(",", ids);
                return Task.CompletedTask;
            })
            .Trigger(Trigger.AvailableNow)
            .StartAsync();
        Assert.True(await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(query.Exception);
        return [.. seen.OrderBy(b => b.Key).Select(b => b.Value)];
    }

    [Theory]
    [InlineData("1k")]
    [InlineData("1KB")]
    [InlineData("1024")]
    public async Task Max_bytes_per_trigger_with_a_unit_bounds_each_batch_and_takes_a_larger_file_aloneAsync(string limit)
    {
        WriteSized(0, 300);
        WriteSized(1, 300);
        WriteSized(2, 300);
        WriteSized(3, 3000); // larger than the limit: a batch of its own
        WriteSized(4, 300);
        WriteSized(5, 300);
        await using var spark = Session();
        var frame = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxBytesPerTrigger", limit)
            .Schema("id LONG, pad STRING").Load(temp.Combine("in"));

        Assert.Equal(["0,1,2", "3", "4,5"], await BatchesAsync(frame));
    }

    [Fact]
    public async Task Max_bytes_per_trigger_in_gigabytes_takes_everything_in_one_batchAsync()
    {
        for (var i = 0; i < 4; i++)
        {
            WriteSized(i, 300);
        }

        await using var spark = Session();
        var frame = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxBytesPerTrigger", "10g")
            .Schema("id LONG, pad STRING").Load(temp.Combine("in"));

        Assert.Equal(["0,1,2,3"], await BatchesAsync(frame));
    }

    [Fact]
    public async Task A_max_bytes_per_trigger_that_is_not_a_size_names_the_optionAsync()
    {
        WriteSized(0, 300);
        await using var spark = Session();
        var frame = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxBytesPerTrigger", "ten")
            .Schema("id LONG, pad STRING").Load(temp.Combine("in"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => BatchesAsync(frame));

        Assert.Contains("cloudFiles.maxBytesPerTrigger", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ten'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A Delta table whose commits each add one file: small ones (one row) around a large one (many rows).
    /// The stream starts on the empty table, so every file comes from a commit, in commit order.
    /// </summary>
    private async Task<(StreamingQuery Query, List<AddFile> Files)> DeltaStreamAsync(StreamingSession spark, string option, string value)
    {
        var schema = DdlParser.ParseSchema("id LONG, pad STRING");
        var path = temp.Combine("events");
        var table = new DeltaTable(spark.Stores.Create(path));
        await table.CreateAsync(schema);
        var query = await spark.ReadStream.Format("delta").Option(option, value).Load(path)
            .WriteStream().Format("memory").QueryName("limited").Trigger(Trigger.Manual).StartAsync();
        for (var i = 0; i < 5; i++)
        {
            var rows = i == 2
                ? Enumerable.Range(0, 2000).Select(r => new object?[] { (long)(100 + r), Guid.NewGuid().ToString() }).ToList()
                : [[(long)i, "x"]];
            await table.WriteAsync(schema, [RecordBatches.Of(schema, rows)]);
        }

        var snapshot = await table.GetSnapshotAsync();
        return (query, [.. snapshot.ActiveFiles]);
    }

    private static List<long> BatchRows(StreamingQuery query) => [.. query.RecentProgress.Select(p => p.NumInputRows)];

    [Fact]
    public async Task A_delta_source_takes_at_most_max_files_per_trigger_files_a_batchAsync()
    {
        await using var spark = Session();
        var (query, _) = await DeltaStreamAsync(spark, "maxFilesPerTrigger", "2");

        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal([2L, 2001L, 1L], BatchRows(query)); // files 0+1, 2 (2000 rows) + 3, 4
        Assert.Equal(2004, spark.MemoryTable("limited").Sum(b => b.Length));
    }

    [Fact]
    public async Task A_delta_source_bounds_batches_by_max_bytes_per_trigger_and_takes_a_larger_file_aloneAsync()
    {
        await using var spark = Session();
        var (query, files) = await DeltaStreamAsync(spark, "maxBytesPerTrigger", "8k");
        var large = files.Single(f => f.Size > 8192);
        Assert.True(files.Where(f => f != large).Sum(f => f.Size) < 8192, "the one-row files fit in 8k together");

        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal([2L, 2000L, 2L], BatchRows(query));
    }
}
