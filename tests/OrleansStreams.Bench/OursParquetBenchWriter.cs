using System.Diagnostics;
using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Bench;

/// <summary>
/// Ours as the table writer drives it: <see cref="ParquetFileWriter.AddAsync(IReadOnlyList{RecordBatch}, CancellationToken)"/>
/// per row group with the row group's batches as they were buffered (the writer encodes each in turn, nothing is joined),
/// to a file stream like the writer's spool file. With <paramref name="joinBeforehand"/> each row group's batches are
/// joined into one (<see cref="BatchConcat"/>) once, in the untimed warm-up, to time the writer alone on whole columns.
/// </summary>
internal sealed class OursParquetBenchWriter(bool joinBeforehand) : IParquetBenchWriter
{
    private List<RecordBatch>? joined;

    public async Task<double> WriteAsync(string path, ParquetBenchCase input)
    {
        var options = new ParquetWriteOptions();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        var writer = await ParquetFileWriter.StartAsync(file, input.Schema, options, CancellationToken.None);
        var joining = Stopwatch.StartNew();
        IReadOnlyList<IReadOnlyList<RecordBatch>> rowGroups = joinBeforehand
            ? (joined ??= input.RowGroups(options.RowGroupSize).Select(group => BatchConcat.Concat(input.Schema, group)).ToList()).Select(b => (IReadOnlyList<RecordBatch>)[b]).ToList()
            : input.RowGroups(options.RowGroupSize).ToList();
        joining.Stop();
        foreach (var rows in rowGroups)
        {
            await writer.AddAsync(rows, CancellationToken.None);
        }

        await writer.FinishAsync(CancellationToken.None);
        return joinBeforehand ? 0 : joining.Elapsed.TotalSeconds;
    }
}
