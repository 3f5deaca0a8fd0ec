namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The recent progress reports of one query, oldest first (Spark's <c>recentProgress</c>): at most
/// <see cref="Limit"/>, one per run and batch. Thread-safe: a batch adds while callers read.
/// </summary>
public sealed class ProgressHistory
{
    /// <summary>Spark's spark.sql.streaming.numRecentProgressUpdates.</summary>
    public const int Limit = 100;

    private readonly List<StreamingQueryProgress> recent = [];

    public StreamingQueryProgress? Last
    {
        get
        {
            lock (recent)
            {
                return recent.Count == 0 ? null : recent[^1];
            }
        }
    }

    public IReadOnlyList<StreamingQueryProgress> Recent
    {
        get
        {
            lock (recent)
            {
                return recent.ToList();
            }
        }
    }

    /// <summary>Keeps a report unless one of the same run and batch is there already; true when kept.</summary>
    public bool Add(StreamingQueryProgress progress)
    {
        lock (recent)
        {
            if (recent.Any(p => p.RunId == progress.RunId && p.BatchId == progress.BatchId))
            {
                return false;
            }

            recent.Add(progress);
            if (recent.Count > Limit)
            {
                recent.RemoveAt(0);
            }

            return true;
        }
    }

    public void Clear()
    {
        lock (recent)
        {
            recent.Clear();
        }
    }
}
