using System.Text.Json;
using Apache.Arrow;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The sources of one query (one per streaming leaf: a union of streams has several) planned and read
/// together. A batch's offset is one string: the single source's own offset (so checkpoints of one-source
/// queries read as before), or a JSON array holding each source's offset. Each source keeps its own
/// read limit, as Spark applies maxFilesPerTrigger per source.
/// </summary>
public sealed class StreamSourceSet
{
    private readonly IReadOnlyList<IStreamSource> sources;
    private readonly IReadOnlyList<ReadLimit> limits;

    public StreamSourceSet(IReadOnlyList<IStreamSource> sources, IReadOnlyList<ReadLimit> limits)
    {
        if (sources.Count == 0 || sources.Count != limits.Count)
        {
            throw new ArgumentException("A query needs at least one source, each with its read limit");
        }

        this.sources = sources;
        this.limits = limits;
    }

    public IReadOnlyList<IStreamSource> Sources => sources;

    /// <summary>Whether some source tells when it may have new data (<see cref="IStreamSource.ChangeVersion"/>).</summary>
    public bool SignalsChanges => sources.Any(s => s.ChangeVersion is not null);

    /// <summary>Moves when any source that tells may have new data.</summary>
    public long ChangeVersion => sources.Sum(s => s.ChangeVersion ?? 0);

    /// <summary>Stops what the sources watch.</summary>
    public void Dispose()
    {
        foreach (var source in sources.OfType<IDisposable>())
        {
            source.Dispose();
        }
    }

    /// <summary>The end of the next batch after <paramref name="start"/>; null when no source has new data.</summary>
    public async Task<string?> NextEndAsync(string? start, bool unlimited, string? upTo, CancellationToken cancellationToken)
    {
        var starts = Split(start);
        var ceilings = Split(upTo);
        var ends = new string?[sources.Count];
        var any = false;
        for (var i = 0; i < sources.Count; i++)
        {
            var end = upTo is not null && ceilings[i] is null
                ? null // nothing of this source was available when the target was taken
                : await sources[i].NextEndAsync(starts[i], unlimited ? ReadLimit.Unlimited : limits[i], ceilings[i], cancellationToken).ConfigureAwait(false);
            any |= end is not null;
            ends[i] = end ?? starts[i];
        }

        return any ? Join(ends) : null;
    }

    /// <summary>Each source's rows in (start, end], in source order, read when consumed; a source whose offset did not move reads nothing.</summary>
    public BatchSourceRows Rows(string? start, string end)
    {
        var starts = Split(start);
        var ends = Split(end);
        return new BatchSourceRows([.. sources.Select((source, i) => ends[i] is { } sourceEnd && sourceEnd != starts[i]
            ? (Func<CancellationToken, IAsyncEnumerable<RecordBatch>>)(token => source.ReadAsync(starts[i], sourceEnd, token))
            : _ => AsyncEnumerable.Empty<RecordBatch>())]);
    }

    /// <summary>The source-by-source offsets of a batch, for progress reports.</summary>
    public IReadOnlyList<string?> Split(string? offset)
    {
        if (sources.Count == 1 || offset is null)
        {
            return sources.Count == 1 ? [offset] : new string?[sources.Count];
        }

        var parts = JsonSerializer.Deserialize<string?[]>(offset)
            ?? throw new InvalidDataException($"The offset {offset} is not a list of source offsets");
        return parts.Length == sources.Count
            ? parts
            : throw new InvalidDataException($"The offset {offset} holds {parts.Length} source offsets; the query reads {sources.Count} sources");
    }

    private string? Join(string?[] offsets) => sources.Count == 1 ? offsets[0] : JsonSerializer.Serialize(offsets);
}
