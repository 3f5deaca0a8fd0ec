namespace OrleansStreams.Runtime.Streaming;

/// <summary>A query that terminated with an error (Spark's StreamingQueryException).</summary>
public sealed class StreamingQueryException(string message, Exception inner) : Exception(message, inner);
