using System.Text;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A damaged file in a query's checkpoint (the offset log, the commit log, the aggregation state): the restarted query
/// fails with an error naming that file, and the sink keeps exactly what was committed before.
/// </summary>
public sealed class CorruptCheckpointTests : IDisposable
{
    private readonly TempDirectory temp = new("corrupt-checkpoint");

    public void Dispose() => temp.Dispose();

    private string Input => temp.Combine("in");

    private string Checkpoint => temp.Combine("checkpoint");

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = false });

    private void Land(int file)
    {
        Directory.CreateDirectory(Input);
        File.WriteAllText(Path.Combine(Input, $"{file:D3}.json"), string.Join('\n', Enumerable.Range(0, 10).Select(i => $"{{\"k\":\"k{i % 3}\",\"n\":{(file * 10) + i}}}")) + "\n");
    }

    private Task<StreamingQuery> StartAsync(StreamingSession spark) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1).Schema("k STRING, n INT").Load(Input)
            .GroupBy("k").Count()
            .WriteStream().OutputMode("complete").Option("checkpointLocation", Checkpoint).Trigger(Trigger.AvailableNow).ToTableAsync("counts");

    [Theory]
    [InlineData("offsets/1", true)]
    [InlineData("offsets/1", false)]
    [InlineData("commits/1", true)]
    [InlineData("state/1.delta", true)]
    [InlineData("state/1.delta", false)]
    public async Task A_damaged_checkpoint_file_fails_the_restart_naming_it_and_loses_nothing_committedAsync(string file, bool truncate)
    {
        Land(0);
        Land(1);
        await using (var spark = Session())
        {
            await (await StartAsync(spark)).AwaitTerminationAsync();
        }

        var path = Path.Combine(Checkpoint, file);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, truncate ? bytes[..(bytes.Length / 2)] : Encoding.UTF8.GetBytes("garbage"));
        Land(2);

        await using var again = Session();
        var error = await Record.ExceptionAsync(async () => await (await StartAsync(again)).AwaitTerminationAsync()); // at start or in the first batch

        Assert.NotNull(error);
        Assert.Contains($"checkpoint/{file}", error.Message.Replace('\\', '/'), StringComparison.Ordinal);
        var counts = RowJson.Render(await again.CollectAsync(again.Sql("SELECT sum(count) AS n FROM counts")!));
        Assert.Equal("20", counts.Single()["n"]!.ToString()); // the two batches committed before the damage
    }
}
