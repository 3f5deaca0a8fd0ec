namespace OrleansStreams.Cli.Output;

/// <summary>How <c>queries</c> and <c>status</c> print.</summary>
internal enum QueryFormat
{
    /// <summary>A table for people.</summary>
    Table,

    /// <summary>One JSON object per query, one per line.</summary>
    Json,
}
