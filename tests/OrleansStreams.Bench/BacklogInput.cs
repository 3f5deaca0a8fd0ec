using System.Globalization;
using System.IO.Hashing;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// The backlog's input: <c>files</c> kafka-raw files of 50,000 lines (300 make 2.77 GB = 2.6 GiB, 15 M rows), in a folder
/// under the temp path (<c>TMPDIR</c>) that outlives the run, so reruns reuse it instead of writing it again.
/// The manifest beside the folder (not in it: the engines read every file there) is written last; the folder
/// is reused only when the manifest matches, the sizes add up, and the last file regenerates to the same bytes.
/// </summary>
internal static class BacklogInput
{
    public const int RowsPerFile = 50_000;

    public static string Folder(int files) =>
        Path.Combine(Path.GetTempPath(), "orleans-streams-backlog", string.Create(CultureInfo.InvariantCulture, $"kafka-raw-{files}x{RowsPerFile}"));

    /// <summary>Writes the input if it is not already complete; its description (bytes, rows, hash) either way.</summary>
    public static JsonObject Prepare(int files)
    {
        var folder = Folder(files);
        var manifestPath = folder + ".manifest.json";
        var stepMs = KafkaRawFiles.StepMs((long)files * RowsPerFile);
        if (Reusable(folder, manifestPath, files, stepMs) is { } existing)
        {
            existing["reused"] = true;
            return existing;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var hash = new XxHash3();
        long bytes = 0;
        for (var f = 0; f < files; f++)
        {
            var content = Content(f, stepMs);
            File.WriteAllBytes(FilePath(folder, f), content);
            hash.Append(content);
            bytes += content.Length;
        }

        var manifest = new JsonObject
        {
            ["folder"] = folder,
            ["files"] = files,
            ["rowsPerFile"] = RowsPerFile,
            ["rows"] = (long)files * RowsPerFile,
            ["stepMs"] = stepMs,
            ["bytes"] = bytes,
            ["xxHash3"] = Convert.ToHexStringLower(hash.GetCurrentHash()),
        };
        File.WriteAllText(manifestPath + ".tmp", manifest.ToJsonString());
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
        manifest["reused"] = false;
        manifest["generatedSeconds"] = Math.Round(watch.Elapsed.TotalSeconds, 1);
        return manifest;
    }

    private static byte[] Content(int file, long stepMs) => KafkaRawFiles.File((long)file * RowsPerFile, RowsPerFile, stepMs);

    private static string FilePath(string folder, int file) => Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"part-{file:D5}.json"));

    private static JsonObject? Reusable(string folder, string manifestPath, int files, long stepMs)
    {
        if (!File.Exists(manifestPath) || !Directory.Exists(folder))
        {
            return null;
        }

        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        var present = Directory.GetFiles(folder);
        var matches = manifest["files"]?.GetValue<int>() == files && manifest["rowsPerFile"]?.GetValue<int>() == RowsPerFile
            && manifest["stepMs"]?.GetValue<long>() == stepMs && present.Length == files
            && present.Sum(p => new FileInfo(p).Length) == manifest["bytes"]?.GetValue<long>()
            && File.Exists(FilePath(folder, files - 1)) && File.ReadAllBytes(FilePath(folder, files - 1)).AsSpan().SequenceEqual(Content(files - 1, stepMs));
        return matches ? manifest : null;
    }
}
