using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// badRecordsPath: each source file with malformed records gets <c>bad_records/part-&lt;hash of its path&gt;.json</c>
/// (one JSON object per record: <c>path</c>, <c>line</c>, <c>record</c>, <c>reason</c>), and a file that could not
/// be read gets <c>bad_files/part-&lt;hash&gt;.json</c>. Names come from the source file's path, so a batch that is
/// run again rewrites the same files instead of adding copies.
/// </summary>
public sealed class BadRecordsWriter(IObjectStore location)
{
    public string Root => location.Root;

    public async Task<string> WriteRecordsAsync(string filePath, IReadOnlyList<BadRecord> records, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(new JsonObject { ["path"] = filePath, ["line"] = record.Line, ["record"] = record.Record, ["reason"] = record.Reason }.ToJsonString()).Append('\n');
        }

        return await WriteAsync("bad_records", filePath, text.ToString(), cancellationToken).ConfigureAwait(false);
    }

    public Task<string> WriteBadFileAsync(string filePath, string reason, CancellationToken cancellationToken) =>
        WriteAsync("bad_files", filePath, new JsonObject { ["path"] = filePath, ["reason"] = reason }.ToJsonString() + "\n", cancellationToken);

    private async Task<string> WriteAsync(string folder, string filePath, string content, CancellationToken cancellationToken)
    {
        var key = $"{folder}/part-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filePath)))[..16]}.json";
        await location.WriteAsync(key, Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
        return $"{location.Root.TrimEnd('/')}/{key}";
    }
}
