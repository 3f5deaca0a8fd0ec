namespace OrleansStreams.Runtime.Streaming;

/// <summary>Names of the per-source figures in progress reports (<c>sources[].metrics</c>, as Auto Loader reports them).</summary>
public static class StreamSourceMetrics
{
    /// <summary>Files discovered but not yet in a planned batch.</summary>
    public const string FilesOutstanding = "numFilesOutstanding";

    /// <summary>The total size of those files.</summary>
    public const string BytesOutstanding = "numBytesOutstanding";
}
