using System.Buffers;
using System.Text.Json;

namespace OrleansStreams.Bookstore;

/// <summary>Writes JSON-lines files so that a folder watcher never sees one half-written.</summary>
public static class JsonLinesFile
{
    /// <summary>
    /// Writes one JSON object per record to <paramref name="path"/>: first to a hidden dot file beside it (listings skip those),
    /// then renamed into place.
    /// </summary>
    public static string Write<T>(string path, IEnumerable<T> records, Action<Utf8JsonWriter, T> writeRecord)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var hidden = Path.Combine(folder, $".{Path.GetFileName(path)}.tmp");
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var record in records)
            {
                writeRecord(writer, record);
                writer.Flush();
                buffer.Write("\n"u8);
                writer.Reset(buffer);
            }
        }

        File.WriteAllBytes(hidden, buffer.WrittenSpan.ToArray());
        File.Move(hidden, path, overwrite: true);
        return path;
    }
}
