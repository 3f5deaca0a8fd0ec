using System.Text.Json;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The <c>_delta_log/_last_checkpoint</c> hint: which checkpoint is the newest, so readers need not
/// list the log. It may be stale or missing; readers then fall back to listing. <see cref="V2CheckpointPath"/>
/// names a UUID-named checkpoint (the <c>v2Checkpoint.path</c> field, relative to <c>_delta_log/</c>).
/// </summary>
internal sealed record LastCheckpoint(long Version, long Size, int? Parts, string? V2CheckpointPath = null)
{
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteNumber("size", Size);
            if (Parts is { } parts)
            {
                writer.WriteNumber("parts", parts);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses the hint; null when it is unreadable (a torn or foreign file is only a missed shortcut).</summary>
    public static LastCheckpoint? TryParse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new LastCheckpoint(
                root.GetProperty("version").GetInt64(),
                root.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : 0,
                root.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Number ? parts.GetInt32() : null,
                root.TryGetProperty("v2Checkpoint", out var v2) && v2.ValueKind == JsonValueKind.Object
                    && v2.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String
                    ? path.GetString()
                    : null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }
}
