using System.Globalization;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A backlog several times larger than the process's GC heap ingests exactly, in one micro-batch, when the process is
/// held to that heap: the batch streams from the files through the Delta sink instead of holding its input. DuckDB
/// reads the table.
/// </summary>
public sealed class BoundedMemoryIngestTests : IDisposable
{
    private const long Heap = 128L << 20;
    private const int Files = 50;
    private const int RowsPerFile = 50_000;

    private readonly TempDirectory temp = new("bounded-memory");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_backlog_larger_than_the_heap_ingests_exactly_in_one_batchAsync()
    {
        var host = new ScenarioProcesses("backlog", temp);
        var bytes = Enumerable.Range(0, Files).Sum(i => new FileInfo(KafkaRawFiles.Write(host.Input, i, RowsPerFile)).Length);
        Assert.True(bytes > 2 * Heap, $"the input ({bytes >> 20} MB) should be well over the heap ({Heap >> 20} MB)");
        host.Environment["DOTNET_GCHeapHardLimit"] = "0x" + Heap.ToString("X", CultureInfo.InvariantCulture);

        await host.RunToEndAsync();

        Assert.Single(Directory.GetFiles(Path.Combine(host.Checkpoint, "commits")));
        const long rows = (long)Files * RowsPerFile;
        Assert.Equal((rows, rows, rows * (rows - 1) / 2), DuckDbDelta.Totals(host.Table, "offset"));
    }
}
