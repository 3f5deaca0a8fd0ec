namespace OrleansStreams.Runtime.Streaming;

/// <summary>Callbacks on a query's life (Spark's StreamingQueryListener).</summary>
public interface IStreamingQueryListener
{
    void OnQueryStarted(StreamingQuery query) { }

    void OnQueryProgress(StreamingQuery query, StreamingQueryProgress progress) { }

    void OnQueryIdle(StreamingQuery query) { }

    void OnQueryTerminated(StreamingQuery query, Exception? exception) { }
}
