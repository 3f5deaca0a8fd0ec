using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.CrossProcess.TestHost;

/// <summary>
/// Writers of one Delta table, each in a process of its own: blind appends of rows numbered by writer and sequence, and a
/// compactor that runs OPTIMIZE until told to stop. Each prints one line per commit, so the test can tell which versions it made.
/// </summary>
public static class ConcurrentWriter
{
    public const string Schema = "writer STRING, seq LONG";

    private static readonly StructType TableSchema = DdlParser.ParseSchema(Schema);

    /// <summary>Appends <paramref name="commits"/> commits of <paramref name="rows"/> rows, seq = commit × rows + row.</summary>
    public static async Task AppendAsync(string table, string writer, int commits, int rows, string? connectionString)
    {
        var delta = new DeltaTable(Stores(connectionString).Create(table));
        for (var c = 0; c < commits; c++)
        {
            var seqs = Enumerable.Range(0, rows).Select(r => (object?)(((long)c * rows) + r)).ToList();
            var batch = new Apache.Arrow.RecordBatch(
                ArrowTypes.ToArrowSchema(TableSchema),
                [Columns.Repeat(writer, StringType.Instance, rows), Columns.FromScalars(LongType.Instance, seqs)],
                rows);
            var version = await delta.WriteAsync(TableSchema, [batch], new DeltaWriteOptions { PartitionBy = ["writer"] });
            Console.WriteLine($"append {writer} {c} {version}");
        }
    }

    /// <summary>Runs OPTIMIZE again and again until <paramref name="stopFile"/> exists, then once more; a conflict is counted and retried.</summary>
    public static async Task OptimizeAsync(string table, string stopFile, string? connectionString)
    {
        var delta = new DeltaTable(Stores(connectionString).Create(table));
        int runs = 0, conflicts = 0;
        while (true)
        {
            var stopping = File.Exists(stopFile);
            if (await delta.Log.ExistsAsync())
            {
                try
                {
                    if ((await delta.OptimizeAsync()).Version is { } version)
                    {
                        runs++;
                        Console.WriteLine($"optimize {version}");
                    }
                }
                catch (DeltaConcurrencyException)
                {
                    conflicts++;
                }
            }

            if (stopping)
            {
                break;
            }

            await Task.Delay(20);
        }

        Console.WriteLine($"optimized {runs} times, {conflicts} conflicts");
    }

    private static ObjectStoreFactory Stores(string? connectionString) =>
        new(connectionString is null ? new StorageOptions() : new StorageOptions { ConnectionString = connectionString });
}
