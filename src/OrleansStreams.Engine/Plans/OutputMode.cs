namespace OrleansStreams.Engine.Plans;

/// <summary>What a streaming query writes to its sink after each micro-batch.</summary>
public enum OutputMode
{
    /// <summary>Only rows that will never change again.</summary>
    Append,

    /// <summary>The whole result, replacing the sink's contents.</summary>
    Complete,

    /// <summary>Only the rows that changed in this batch.</summary>
    Update,
}

public static class OutputModes
{
    /// <summary>Parses Spark's names (<c>append</c>, <c>complete</c>, <c>update</c>, any case).</summary>
    public static OutputMode Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "append" => OutputMode.Append,
        "complete" => OutputMode.Complete,
        "update" => OutputMode.Update,
        _ => throw new ArgumentException($"Unknown output mode {name}. Accepted output modes are 'append', 'complete', 'update'", nameof(name)),
    };
}
