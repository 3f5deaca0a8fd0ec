namespace OrleansStreams.Bench;

/// <summary>
/// Names an engine's failure for the report: "OOM" whenever an out-of-memory error is anywhere in it (ours may
/// come back wrapped by the query and the grain call, DuckDB's as its own error), else the innermost message.
/// </summary>
internal static class FailureKind
{
    public static string Of(Exception error)
    {
        var text = error.ToString();
        if (text.Contains("OutOfMemory", StringComparison.Ordinal) || text.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Insufficient memory", StringComparison.OrdinalIgnoreCase))
        {
            return "OOM";
        }

        var inner = error;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return $"{inner.GetType().Name}: {inner.Message.Split('\n')[0]}";
    }
}
