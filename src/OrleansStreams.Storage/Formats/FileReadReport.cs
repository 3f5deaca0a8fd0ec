using System.Text;

namespace OrleansStreams.Storage.Formats;

/// <summary>A record that could not be parsed: its 1-based line, why, and (when kept for badRecordsPath) its text.</summary>
public sealed record BadRecord(long Line, string Reason, string? Record);

/// <summary>
/// What a decoder noticed in one file besides its rows: malformed records (counted, the first one
/// described, all of them kept when <see cref="KeepBadRecords"/> is set for badRecordsPath), records
/// whose unfit fields went to the rescued data column, fields that are not in the schema (what schema
/// evolution looks for), and bytes that are not UTF-8. Filled while the file's batches are read.
/// </summary>
public sealed class FileReadReport
{
    private readonly Dictionary<string, long> unknownFields = new(StringComparer.Ordinal);
    private readonly List<BadRecord> badRecords = [];

    /// <summary>Keep each malformed record's text (for badRecordsPath); otherwise only the first one's line and reason.</summary>
    public bool KeepBadRecords { get; init; }

    public long MalformedRecords { get; private set; }

    public BadRecord? FirstMalformed { get; private set; }

    /// <summary>Every malformed record with its text, when <see cref="KeepBadRecords"/>.</summary>
    public IReadOnlyList<BadRecord> BadRecords => badRecords;

    public long RescuedRecords { get; private set; }

    /// <summary>Names of fields in the file that no schema column has (case-insensitively), with the line each first appears on.</summary>
    public IReadOnlyDictionary<string, long> UnknownFields => unknownFields;

    /// <summary>The first line holding bytes that are not UTF-8 (read as U+FFFD), when the format replaces them rather than failing the record.</summary>
    public long? ReplacedInvalidUtf8Line { get; private set; }

    internal void Malformed(long line, string reason, ReadOnlySpan<byte> record)
    {
        MalformedRecords++;
        FirstMalformed ??= new BadRecord(line, reason, null);
        if (KeepBadRecords)
        {
            badRecords.Add(new BadRecord(line, reason, Encoding.UTF8.GetString(record)));
        }
    }

    internal void Malformed(long line, string reason, ReadOnlySpan<char> record)
    {
        MalformedRecords++;
        FirstMalformed ??= new BadRecord(line, reason, null);
        if (KeepBadRecords)
        {
            badRecords.Add(new BadRecord(line, reason, record.ToString()));
        }
    }

    internal void Rescued() => RescuedRecords++;

    internal void UnknownField(string name, long line) => unknownFields.TryAdd(name, line);

    internal void ReplacedInvalidUtf8(long line) => ReplacedInvalidUtf8Line ??= line;
}
