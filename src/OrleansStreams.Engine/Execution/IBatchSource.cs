using Apache.Arrow;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Execution;

/// <summary>Something a batch query reads from (a Delta table snapshot, files, an in-memory table).</summary>
public interface IBatchSource
{
    /// <summary>
    /// The rows, with only <see cref="ScanRequest.Columns"/> (in that order). A source may use
    /// <see cref="ScanRequest.Filters"/> to skip data that cannot match (partitions, min/max stats); the
    /// query applies the filters again, so skipping is only ever an optimization.
    /// </summary>
    IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default);
}

/// <param name="Columns">The columns the query needs, by name, in the order wanted.</param>
/// <param name="Filters">Conjuncts of the query's filter that refer only to this source's columns.</param>
public sealed record ScanRequest(IReadOnlyList<string> Columns, IReadOnlyList<Expression> Filters);
