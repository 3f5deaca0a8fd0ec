using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>How much one micro-batch may take from a source (maxFilesPerTrigger, maxBytesPerTrigger).</summary>
public sealed record ReadLimit(int? MaxFiles, long? MaxBytes)
{
    public static readonly ReadLimit Unlimited = new(null, null);
}

/// <summary>
/// A replayable streaming source. Offsets are opaque JSON strings the source understands; a batch
/// is the data in (start, end]. Reading the same range again returns the same rows, which is what
/// makes a replayed batch exactly once.
/// </summary>
public interface IStreamSource
{
    StructType Schema { get; }

    /// <summary>
    /// The end offset of the next batch after <paramref name="start"/> within <paramref name="limit"/>
    /// and not beyond <paramref name="upTo"/>; null when there is nothing new.
    /// </summary>
    Task<string?> NextEndAsync(string? start, ReadLimit limit, string? upTo, CancellationToken cancellationToken);

    /// <summary>The rows in (start, end].</summary>
    IAsyncEnumerable<RecordBatch> ReadAsync(string? start, string end, CancellationToken cancellationToken);

    /// <summary>Describes the source for progress reports (Spark's <c>sources[].description</c>).</summary>
    string Description { get; }

    /// <summary>Figures of the last planning, such as the backlog (<see cref="StreamSourceMetrics"/>); null when the source has none.</summary>
    IReadOnlyDictionary<string, long>? Metrics => null;

    /// <summary>
    /// A count that moves when the source may have new data (a file landed in a watched folder), so an idle query
    /// looks at once; null when the source cannot tell, and the query polls it.
    /// </summary>
    long? ChangeVersion => null;
}
