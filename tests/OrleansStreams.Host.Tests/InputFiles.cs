using System.Globalization;
using System.Text;

namespace OrleansStreams.Host.Tests;

/// <summary>JSON-lines input files with consecutive ids, written whole (temp file, then rename) so a listing never sees half a file.</summary>
internal static class InputFiles
{
    public const string Schema = "id LONG, word STRING";

    public static void Write(string folder, int file, int rowsPerFile)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        for (var row = 0; row < rowsPerFile; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"id\":{(file * rowsPerFile) + row},\"word\":\"w{row % 7}\"}}\n");
        }

        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"part-{file:D5}.json"));
        File.WriteAllText(path + ".tmp", text.ToString());
        File.Move(path + ".tmp", path);
    }
}
