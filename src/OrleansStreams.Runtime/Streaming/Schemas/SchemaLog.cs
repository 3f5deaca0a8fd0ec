using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming.Schemas;

/// <summary>
/// The versions of a source's schema under its schema location: <c>_schemas/0</c> is the inferred one,
/// each evolution adds the next. A version is <c>v1</c> then a JSON object with the data schema (Delta's schema
/// JSON), written put-if-absent, so two runs racing to write version N keep one.
/// </summary>
public sealed class SchemaLog(IObjectStore location)
{
    private const string Folder = "_schemas";

    public string Root => $"{location.Root.TrimEnd('/')}/{Folder}";

    /// <summary>The latest version and its schema, or null when none was written yet.</summary>
    public async Task<(int Version, StructType Schema)?> LatestAsync(CancellationToken cancellationToken)
    {
        int? latest = null;
        await foreach (var page in location.ListAsync(Folder + "/", ListOptions.OneLevel, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Objects)
            {
                if (int.TryParse(item.Key[(Folder.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && (latest is null || version > latest))
                {
                    latest = version;
                }
            }
        }

        return latest is { } v ? (v, await ReadAsync(v, cancellationToken).ConfigureAwait(false)) : null;
    }

    /// <summary>Writes version <paramref name="version"/> unless it exists; returns the schema that version holds (ours, or the one another run wrote first).</summary>
    public async Task<StructType> AddAsync(int version, StructType schema, CancellationToken cancellationToken)
    {
        var entry = new JsonObject { ["dataSchemaJson"] = SchemaJson.Serialize(schema), ["partitionSchemaJson"] = SchemaJson.Serialize(StructType.Empty) };
        var written = await location.PutIfAbsentAsync(Key(version), Encoding.UTF8.GetBytes("v1\n" + entry.ToJsonString()), cancellationToken).ConfigureAwait(false);
        return written is not null ? schema : await ReadAsync(version, cancellationToken).ConfigureAwait(false);
    }

    private static string Key(int version) => $"{Folder}/{version.ToString(CultureInfo.InvariantCulture)}";

    private async Task<StructType> ReadAsync(int version, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(await location.ReadAllAsync(Key(version), cancellationToken).ConfigureAwait(false));
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0 || text[..newline].Trim() != "v1" || JsonNode.Parse(text[(newline + 1)..])?["dataSchemaJson"]?.GetValue<string>() is not { } json)
        {
            throw new InvalidDataException($"The schema version {Root}/{version} is not a v1 schema entry");
        }

        return SchemaJson.Parse(json);
    }
}
