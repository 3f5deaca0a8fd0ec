using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The files a source has discovered, kept in its checkpoint folder as append-only segments: each
/// discovery writes one small object with only the new files, so the bytes written per batch do not
/// grow with the number of files already known. A file (by path) gets one sequence number ever.
/// </summary>
public sealed class FileLog(IObjectStore folder)
{
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly List<DiscoveredFile> files = [];

    /// <summary>Running totals of the files' sizes (entry i: files 0..i), so the bytes of any range cost two lookups.</summary>
    private readonly List<long> totalBytes = [];
    private bool loaded;

    public long LastSequence => files.Count == 0 ? -1 : files[^1].Sequence;

    public int Count => files.Count;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (loaded)
        {
            return;
        }

        var segments = new List<string>();
        await foreach (var page in folder.ListAsync("segments/", ListOptions.OneLevel, cancellationToken).ConfigureAwait(false))
        {
            segments.AddRange(page.Objects.Select(o => o.Key));
        }

        foreach (var segment in segments.Order(StringComparer.Ordinal))
        {
            var entries = JsonSerializer.Deserialize<List<DiscoveredFile>>(await folder.ReadAllAsync(segment, cancellationToken).ConfigureAwait(false), JsonOptions)
                ?? throw new InvalidDataException($"file log segment {folder.Root}/{segment} is empty");
            foreach (var entry in entries.Where(e => e.Sequence > LastSequence))
            {
                Append(entry);
            }
        }

        loaded = true;
    }

    /// <summary>Records the files not seen before, as one new segment; returns how many were new.</summary>
    public async Task<int> AddAsync(IEnumerable<(string Key, long Size, DateTimeOffset Modified)> found, CancellationToken cancellationToken)
    {
        var candidates = found.ToList();
        for (var attempt = 0; ; attempt++)
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            var next = LastSequence + 1;
            var fresh = candidates.Where(f => !known.Contains(f.Key)).DistinctBy(f => f.Key)
                .Select((f, i) => new DiscoveredFile(next + i, f.Key, f.Size, f.Modified)).ToList();
            if (fresh.Count == 0)
            {
                return 0;
            }

            var key = $"segments/{next.ToString("D20", CultureInfo.InvariantCulture)}.json";
            // Identical bytes already there are our own segment whose write response was lost.
            if (await folder.PutIfAbsentOrSameAsync(key, JsonSerializer.SerializeToUtf8Bytes(fresh, JsonOptions), cancellationToken).ConfigureAwait(false) is not null)
            {
                foreach (var file in fresh)
                {
                    Append(file);
                }

                return fresh.Count;
            }

            // Another run of the query (a predecessor presumed dead) logged files first: read its segment, then add what is still new.
            if (attempt == 10)
            {
                throw new InvalidOperationException($"Another query keeps discovering files into {folder.Root}: a checkpoint can be used by one running query at a time");
            }

            loaded = false;
        }
    }

    /// <summary>Files with sequence in (after, upTo].</summary>
    /// <remarks>Sequences are dense from 0, so this is an index range, whatever the log's size.</remarks>
    public IReadOnlyList<DiscoveredFile> Range(long after, long upTo)
    {
        var from = (int)Math.Max(after + 1, 0);
        var to = (int)Math.Min(upTo, LastSequence);
        return to < from ? [] : files.GetRange(from, to - from + 1);
    }

    /// <summary>The total size of the files with sequence in (after, upTo]: Auto Loader's numBytesOutstanding for a backlog.</summary>
    public long BytesBetween(long after, long upTo)
    {
        var from = (int)Math.Max(after + 1, 0);
        var to = (int)Math.Min(upTo, LastSequence);
        return to < from ? 0 : totalBytes[to] - (from == 0 ? 0 : totalBytes[from - 1]);
    }

    private void Append(DiscoveredFile file)
    {
        files.Add(file);
        totalBytes.Add((totalBytes.Count == 0 ? 0 : totalBytes[^1]) + file.Size);
        known.Add(file.Key);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
