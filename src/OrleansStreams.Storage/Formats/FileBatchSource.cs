using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Formats;

/// <summary>
/// Files read as a batch (<c>spark.read.format("json").schema(…).load(path)</c>): every data file under the
/// folder (or matching the glob), decoded with the format's reader; hidden and marker files are skipped.
/// </summary>
public sealed class FileBatchSource(IObjectStore folder, string? glob, string format, StructType schema, FileFormatOptions options) : IBatchSource
{
    private readonly Regex? pattern = glob is null ? null : PathGlob.ToRegex(glob);

    public StructType Schema => schema;

    public async IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = FileFormats.Create(format, options);
        var ordinals = request.Columns.Select(schema.IndexOf).ToArray();
        var output = ArrowTypes.ToArrowSchema(new StructType(ordinals.Select(o => schema[o])));
        var keys = new List<string>();
        await foreach (var page in folder.ListAsync(string.Empty, ListOptions.Recursive, cancellationToken).ConfigureAwait(false))
        {
            keys.AddRange(page.Objects.Select(o => o.Key).Where(IsData));
        }

        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            using var content = new MemoryStream(await folder.ReadAllAsync(key, cancellationToken).ConfigureAwait(false));
            await foreach (var batch in reader.ReadAsync(content, schema, $"{folder.Root.TrimEnd('/')}/{key}", cancellationToken).ConfigureAwait(false))
            {
                yield return new RecordBatch(output, ordinals.Select(batch.Column), batch.Length);
            }
        }
    }

    private bool IsData(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        if (name.StartsWith('_') || name.StartsWith('.'))
        {
            return false;
        }

        return pattern is null || PathGlob.Selects(pattern, key);
    }
}
