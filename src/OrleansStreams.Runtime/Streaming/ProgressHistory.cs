namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The recent progress reports of one query, oldest first (Spark's <c>recentProgress</c>): at most
/// <see cref="Limit"/>, one per run and batch. Thread-safe: a batch adds while callers read.
/// </summary>
public sealed class ProgressHistory
{
    /// <summary>Spark's spark.sql.streaming.numRecentProgressUpdates.</summary>
    public const int Limit = 100;

    private readonly List<Entry> recent = [];

    public StreamingQueryProgress? Last
    {
        get
        {
            lock (recent)
            {
                return recent.Count == 0 ? null : recent[^1].Progress;
            }
        }
    }

    public IReadOnlyList<StreamingQueryProgress> Recent
    {
        get
        {
            lock (recent)
            {
                return recent.Select(e => e.Progress).ToList();
            }
        }
    }

    /// <summary>The reports as Spark's progress JSON, each serialized once (a query grain answers every status poll with them).</summary>
    public IReadOnlyList<string> RecentJson
    {
        get
        {
            lock (recent)
            {
                return recent.Select(e => e.Json).ToList();
            }
        }
    }

    /// <summary>Keeps a report unless one of the same run and batch is there already; true when kept.</summary>
    public bool Add(StreamingQueryProgress progress)
    {
        lock (recent)
        {
            if (recent.Any(e => e.Progress.RunId == progress.RunId && e.Progress.BatchId == progress.BatchId))
            {
                return false;
            }

            recent.Add(new Entry(progress));
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

    private sealed class Entry(StreamingQueryProgress progress)
    {
        private string? json;

        public StreamingQueryProgress Progress { get; } = progress;

        public string Json => json ??= Progress.ToJson().ToJsonString();
    }
}
