using System.Text.Json;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A position in a Delta table's stream: through file <see cref="Index"/> of version <see cref="Version"/>,
/// either of the initial snapshot taken at that version or of that version's commit.
/// </summary>
public sealed record DeltaStreamOffset(long Version, int Index, bool Snapshot) : IComparable<DeltaStreamOffset>
{
    public string Serialize() => JsonSerializer.Serialize(this, JsonOptions);

    public static DeltaStreamOffset Parse(string json) =>
        JsonSerializer.Deserialize<DeltaStreamOffset>(json, JsonOptions) ?? throw new JsonException($"not a Delta stream offset: {json}");

    /// <summary>Snapshot files of a version come before the commits after it.</summary>
    public int CompareTo(DeltaStreamOffset? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byVersion = Version.CompareTo(other.Version);
        if (byVersion != 0)
        {
            return byVersion;
        }

        return Snapshot != other.Snapshot ? (Snapshot ? -1 : 1) : Index.CompareTo(other.Index);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
