using Apache.Arrow;

namespace OrleansStreams.Engine.Execution;

/// <summary>Runs a batch query to completion.</summary>
public static class BatchResults
{
    public static async Task<IReadOnlyList<RecordBatch>> CollectAsync(PhysicalOperator query, CancellationToken cancellationToken = default)
    {
        var batches = new List<RecordBatch>();
        await foreach (var batch in query.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            batches.Add(batch);
        }

        return batches;
    }
}
