using Apache.Arrow;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// What a micro-batch hands its sink: the rows (streamed for a stateless query, so its input need not fit in memory),
/// and — known once the rows have been read — the largest event time among them and the state's row counts.
/// </summary>
public sealed class BatchOutput(IAsyncEnumerable<RecordBatch> rows, (long Total, long Updated)? stateRows = null)
{
    public IAsyncEnumerable<RecordBatch> Rows { get; } = rows;

    /// <summary>The largest event time the batch saw (for the watermark); complete once <see cref="Rows"/> have been read.</summary>
    public long? MaxEventTime { get; internal set; }

    public (long Total, long Updated)? StateRows { get; } = stateRows;
}
