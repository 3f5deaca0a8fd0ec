using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A source's file log is written by one process and read by the next: each run of the query is a new process (under
/// another culture, as a restart on another machine may be), and each must take exactly the files not logged before,
/// whatever their names hold: non-ASCII letters, spaces, a Turkish dotless i, a name in both Unicode normal forms.
/// </summary>
public sealed class FileLogAcrossProcessesTests : IDisposable
{
    private const int RowsPerFile = 3;

    private static readonly string[] FirstFiles = ["böök 1.json", "Straße 2.json", "İstanbul ı 3.json", "日本 語/データ 4.json"];

    // "café" composed (é) and decomposed (e and a combining acute): two files whose names look the same.
    private static readonly string[] LaterFiles = ["caf\u00E9.json", "cafe\u0301.json", "two  spaces/ 7 .json"];

    private readonly TempDirectory temp = new("file-log");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Three_processes_in_turn_ingest_every_file_once_and_log_it_onceAsync()
    {
        // One file per batch: each run commits one batch per file it has not logged before.
        Write(FirstFiles, 0);
        await RunAsync("de-DE");
        Assert.Equal(FirstFiles.Length, Committed());

        Write(LaterFiles, FirstFiles.Length);
        await RunAsync("tr-TR");
        Assert.Equal(FirstFiles.Length + LaterFiles.Length, Committed());
        await RunAsync("sv-SE");
        Assert.Equal(FirstFiles.Length + LaterFiles.Length, Committed());

        var log = new FileLog(new LocalFileObjectStore(temp.Combine("checkpoint", "sources", "0")));
        await log.LoadAsync(CancellationToken.None);
        Assert.Equal(FirstFiles.Concat(LaterFiles).Order(StringComparer.Ordinal), log.Range(-1, log.LastSequence).Select(f => f.Key).Order(StringComparer.Ordinal));

        var ids = new List<long>();
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("table")));
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(), ["id"]))
        {
            var column = (Apache.Arrow.Int64Array)batch.Column(0);
            ids.AddRange(Enumerable.Range(0, column.Length).Select(i => column.GetValue(i)!.Value));
        }

        Assert.Equal(Enumerable.Range(0, (FirstFiles.Length + LaterFiles.Length) * RowsPerFile).Select(i => (long)i), ids.Order());
    }

    private void Write(string[] names, int firstFile)
    {
        for (var f = 0; f < names.Length; f++)
        {
            var file = firstFile + f;
            PartitionedRow.Write(temp.Combine(["input", .. names[f].Split('/')]), Enumerable.Range(0, RowsPerFile).Select(r => new PartitionedRow(
                (file * RowsPerFile) + r, $"file {file}", new DateOnly(2024, 2, 29), 0.5 * file, new DateTimeOffset(2024, 2, 29, 13, 45, r, TimeSpan.Zero))));
        }
    }

    private Task RunAsync(string culture) =>
        CrossProcessHost.RunAsync(culture, "ingest", temp.Combine("input"), temp.Combine("warehouse"), temp.Combine("checkpoint"), temp.Combine("table"));

    private int Committed() => Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length;
}
