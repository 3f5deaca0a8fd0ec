namespace OrleansStreams.Storage.Formats;

/// <summary>A record that cannot be parsed in FAILFAST mode: names the file, the 1-based line and what was wrong.</summary>
public sealed class MalformedRecordException(string filePath, long line, string reason)
    : Exception($"Malformed record in {filePath} at line {line}: {reason}. Parse mode: FAILFAST. To keep going, set option mode to PERMISSIVE (nulls, with the text in _corrupt_record) or DROPMALFORMED.")
{
    public string FilePath { get; } = filePath;

    public long Line { get; } = line;
}
