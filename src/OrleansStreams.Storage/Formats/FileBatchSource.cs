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
/// The hidden <c>_metadata</c> column describes each row's file.
/// </summary>
public sealed class FileBatchSource(IObjectStore folder, string? glob, string format, StructType schema, FileFormatOptions options) : IBatchSource
{
    private readonly Regex? pattern = glob is null ? null : PathGlob.ToRegex(glob);

    public StructType Schema => schema;

    public async IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = FileFormats.Create(format, options);
        var dataSchema = new StructType(schema.Fields.Where(f => !FileMetadataColumn.IsHidden(f.Name)));
        var output = ArrowTypes.ToArrowSchema(new StructType(request.Columns.Select(schema.Get)));
        var files = new List<ObjectProperties>();
        await foreach (var page in folder.ListAsync(string.Empty, ListOptions.Recursive, cancellationToken).ConfigureAwait(false))
        {
            files.AddRange(page.Objects.Where(o => IsData(o.Key)));
        }

        foreach (var file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = $"{folder.Root.TrimEnd('/')}/{file.Key}";
            var metadata = new object?[] { path, file.Key[(file.Key.LastIndexOf('/') + 1)..], file.Size, (file.LastModified.UtcTicks - DateTime.UnixEpoch.Ticks) / 10 };
            using var content = new MemoryStream(await folder.ReadAllAsync(file.Key, cancellationToken).ConfigureAwait(false));
            await foreach (var batch in reader.ReadAsync(content, dataSchema, path, cancellationToken).ConfigureAwait(false))
            {
                var columns = request.Columns.Select(c => FileMetadataColumn.IsHidden(c)
                    ? Engine.Expressions.Evaluation.Columns.Repeat(metadata, FileMetadataColumn.Type, batch.Length)
                    : batch.Column(dataSchema.IndexOf(c)));
                yield return new RecordBatch(output, columns, batch.Length);
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
