using System.Diagnostics;
using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Bench;

/// <summary>
/// Ours as the table writer drives it: a row group's batches joined (<see cref="BatchConcat"/>), then
/// <see cref="ParquetFileWriter.AddAsync"/> per row group, to a file stream like the writer's spool file. With
/// <paramref name="joinBeforehand"/> the joining is done once, in the untimed warm-up, to time the writer alone.
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
        var rowGroups = joined ?? input.RowGroups(options.RowGroupSize).Select(group => BatchConcat.Concat(input.Schema, group)).ToList();
        joining.Stop();
        joined = joinBeforehand ? rowGroups : null;
        foreach (var rows in rowGroups)
        {
            await writer.AddAsync(rows, CancellationToken.None);
        }

        await writer.FinishAsync(CancellationToken.None);
        return joining.Elapsed.TotalSeconds;
    }
}
