namespace OrleansStreams.Runtime.Grains;

/// <summary>The query grain's durable state: what to run and whether it should be running.</summary>
public sealed class QueryGrainState
{
    public QueryDefinition? Definition { get; set; }

    public bool Running { get; set; }

    /// <summary>Why the query stopped, when it failed (reported by later activations too).</summary>
    public string? Error { get; set; }

    /// <summary>The failure's exception with its stack trace, shown by the streams UI.</summary>
    public string? ErrorDetail { get; set; }

    /// <summary>The last batch's progress JSON as of the stop, so a later activation still reports it.</summary>
    public string? LastProgressJson { get; set; }
}
