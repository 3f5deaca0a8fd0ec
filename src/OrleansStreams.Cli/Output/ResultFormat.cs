namespace OrleansStreams.Cli.Output;

/// <summary>How <c>sql</c> prints rows.</summary>
internal enum ResultFormat
{
    /// <summary>A table for people.</summary>
    Table,

    /// <summary>One JSON object per row, one row per line.</summary>
    Json,

    /// <summary>A header line, then one RFC 4180 line per row.</summary>
    Csv,
}
