using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansStreams.Storage.Formats;

/// <summary>How the rescued data column's JSON is written: readable (no escaping of non-ASCII text), as Auto Loader's.</summary>
internal static class RescuedJson
{
    public const string FilePathField = "_file_path";

    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
