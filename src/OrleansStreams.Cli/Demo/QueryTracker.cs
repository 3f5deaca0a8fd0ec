using OrleansStreams.Cli.Output;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Cli.Demo;

/// <summary>Collects the queries a session starts, labelled by the table they write (from their sink), for the progress display.</summary>
internal sealed class QueryTracker : IStreamingQueryListener
{
    private readonly List<StreamingQuery> queries = [];

    public void OnQueryStarted(StreamingQuery query)
    {
        lock (queries)
        {
            queries.Add(query);
        }
    }

    /// <summary>The queries started since <see cref="Clear"/>.</summary>
    public IReadOnlyList<ProgressRow> Rows()
    {
        lock (queries)
        {
            return queries.Select(q => new ProgressRow(Label(q), q.IsActive ? "running" : q.Exception is null ? "done" : "failed", q)).ToList();
        }
    }

    public void Clear()
    {
        lock (queries)
        {
            queries.Clear();
        }
    }

    /// <summary>"DeltaSink[bronze]" → "bronze"; a query that has not reported yet is named by its id.</summary>
    private static string Label(StreamingQuery query)
    {
        var sink = query.LastProgress?.SinkDescription;
        var open = sink?.IndexOf('[', StringComparison.Ordinal) ?? -1;
        return sink is not null && open >= 0 && sink.EndsWith(']') ? sink[(open + 1)..^1] : query.Name ?? query.Id.ToString()[..8];
    }
}
