using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Bench;

/// <summary>
/// The input of the Parquet writer part: Arrow batches of the engine's batch size with their schema, made the same
/// way in every writer's process (nothing is random).
/// </summary>
internal sealed record ParquetBenchCase(string Name, StructType Schema, IReadOnlyList<RecordBatch> Batches)
{
    public static readonly string[] Names = ["bronze", "alltypes"];

    public long Rows => Batches.Sum(b => (long)b.Length);

    /// <summary>What the batches hold in memory: the MB of "MB/s".</summary>
    public long ArrowBytes => Batches.Sum(BatchBytes.Of);

    public static async Task<ParquetBenchCase> CreateAsync(string name, bool small) => name switch
    {
        "bronze" => new(name, BronzeBatches.Schema, await BronzeBatches.GenerateAsync(small ? 250_000 : 1_000_000)),
        "alltypes" => new(name, AllTypesBatches.Schema, AllTypesBatches.Generate(small ? 50_000 : 250_000)),
        _ => throw new ArgumentException($"unknown Parquet bench case {name}"),
    };

    /// <summary>
    /// The batches as row groups: consecutive batches until they hold <paramref name="rowGroupRows"/> rows, as the
    /// table writer buffers a partition's batches before it encodes them.
    /// </summary>
    public IEnumerable<IReadOnlyList<RecordBatch>> RowGroups(int rowGroupRows)
    {
        var group = new List<RecordBatch>();
        var rows = 0;
        foreach (var batch in Batches)
        {
            group.Add(batch);
            rows += batch.Length;
            if (rows >= rowGroupRows)
            {
                yield return group;
                (group, rows) = ([], 0);
            }
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }
}
