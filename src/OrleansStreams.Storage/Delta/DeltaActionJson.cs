using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Reads and writes Delta commit files: newline-delimited JSON, one action per line, each line an
/// object with one key naming the action. Unknown action types and unknown fields are ignored
/// (commitInfo keeps its unknown fields), as the protocol asks of readers.
/// </summary>
public static class DeltaActionJson
{
    /// <summary>Parses a whole commit file. <paramref name="source"/> names the file in error messages.</summary>
    public static IReadOnlyList<DeltaAction> ParseCommit(ReadOnlySpan<byte> content, string source)
    {
        var actions = new List<DeltaAction>();
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            try
            {
                if (ParseLine(line) is { } action)
                {
                    actions.Add(action);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new DeltaLogException($"{source}: line {lineNumber} is not a valid Delta action: {e.Message}", e);
            }
        }

        return actions;
    }

    /// <summary>Parses one action line; null for an action type this reader does not know.</summary>
    public static DeltaAction? ParseLine(ReadOnlySpan<byte> line)
    {
        using var document = JsonDocument.Parse(line.ToArray());
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var body = property.Value;
            if (body.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            DeltaAction? action = property.Name switch
            {
                "protocol" => new ProtocolAction(
                    body.GetProperty("minReaderVersion").GetInt32(),
                    body.GetProperty("minWriterVersion").GetInt32(),
                    OptionalStringList(body, "readerFeatures"),
                    OptionalStringList(body, "writerFeatures")),
                "domainMetadata" => new DomainMetadataAction(
                    body.GetProperty("domain").GetString()!,
                    body.GetProperty("configuration").GetString() ?? string.Empty,
                    OptionalBool(body, "removed") ?? false),
                "metaData" => ReadMetadata(body),
                "add" => ReadAdd(body),
                "remove" => ReadRemove(body),
                "txn" => new TransactionAction(body.GetProperty("appId").GetString()!, body.GetProperty("version").GetInt64(), OptionalLong(body, "lastUpdated")),
                "commitInfo" => ReadCommitInfo(body),
                "checkpointMetadata" => new CheckpointMetadataAction(body.GetProperty("version").GetInt64(), OptionalStringMap(body, "tags")),
                "sidecar" => new SidecarAction(
                    body.GetProperty("path").GetString()!,
                    body.GetProperty("sizeInBytes").GetInt64(),
                    body.GetProperty("modificationTime").GetInt64(),
                    OptionalStringMap(body, "tags")),
                _ => null,
            };
            if (action is not null)
            {
                return action;
            }
        }

        return null;
    }

    /// <summary>Serializes actions as a commit file (one JSON object per line, each line ending in \n).</summary>
    public static byte[] SerializeCommit(IEnumerable<DeltaAction> actions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        foreach (var action in actions)
        {
            WriteAction(writer, action);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One action as a single-line JSON string.</summary>
    public static string Serialize(DeltaAction action) => Encoding.UTF8.GetString(SerializeCommit([action])).TrimEnd('\n');

    private static void WriteAction(Utf8JsonWriter writer, DeltaAction action)
    {
        writer.WriteStartObject();
        switch (action)
        {
            case ProtocolAction p:
                writer.WriteStartObject("protocol");
                writer.WriteNumber("minReaderVersion", p.MinReaderVersion);
                writer.WriteNumber("minWriterVersion", p.MinWriterVersion);
                WriteOptionalStringList(writer, "readerFeatures", p.ReaderFeatures);
                WriteOptionalStringList(writer, "writerFeatures", p.WriterFeatures);
                writer.WriteEndObject();
                break;
            case DomainMetadataAction d:
                writer.WriteStartObject("domainMetadata");
                writer.WriteString("domain", d.Domain);
                writer.WriteString("configuration", d.Configuration);
                writer.WriteBoolean("removed", d.Removed);
                writer.WriteEndObject();
                break;
            case MetadataAction m:
                writer.WriteStartObject("metaData");
                writer.WriteString("id", m.Id);
                WriteOptionalString(writer, "name", m.Name);
                WriteOptionalString(writer, "description", m.Description);
                writer.WriteStartObject("format");
                writer.WriteString("provider", m.Format.Provider);
                WriteMap(writer, "options", m.Format.Options);
                writer.WriteEndObject();
                writer.WriteString("schemaString", m.SchemaString);
                writer.WriteStartArray("partitionColumns");
                foreach (var column in m.PartitionColumns)
                {
                    writer.WriteStringValue(column);
                }

                writer.WriteEndArray();
                WriteMap(writer, "configuration", m.Configuration);
                if (m.CreatedTime is { } created)
                {
                    writer.WriteNumber("createdTime", created);
                }

                writer.WriteEndObject();
                break;
            case AddFile a:
                writer.WriteStartObject("add");
                writer.WriteString("path", a.Path);
                WriteNullableMap(writer, "partitionValues", a.PartitionValues);
                writer.WriteNumber("size", a.Size);
                writer.WriteNumber("modificationTime", a.ModificationTime);
                writer.WriteBoolean("dataChange", a.DataChange);
                WriteOptionalString(writer, "stats", a.Stats);
                if (a.Tags is not null)
                {
                    WriteMap(writer, "tags", a.Tags);
                }

                WriteDeletionVector(writer, a.DeletionVector);
                writer.WriteEndObject();
                break;
            case RemoveFile r:
                writer.WriteStartObject("remove");
                writer.WriteString("path", r.Path);
                if (r.DeletionTimestamp is { } deleted)
                {
                    writer.WriteNumber("deletionTimestamp", deleted);
                }

                writer.WriteBoolean("dataChange", r.DataChange);
                if (r.ExtendedFileMetadata is { } extended)
                {
                    writer.WriteBoolean("extendedFileMetadata", extended);
                }

                if (r.PartitionValues is not null)
                {
                    WriteNullableMap(writer, "partitionValues", r.PartitionValues);
                }

                if (r.Size is { } size)
                {
                    writer.WriteNumber("size", size);
                }

                if (r.Tags is not null)
                {
                    WriteMap(writer, "tags", r.Tags);
                }

                WriteDeletionVector(writer, r.DeletionVector);
                WriteOptionalString(writer, "stats", r.Stats);
                writer.WriteEndObject();
                break;
            case TransactionAction t:
                writer.WriteStartObject("txn");
                writer.WriteString("appId", t.AppId);
                writer.WriteNumber("version", t.Version);
                if (t.LastUpdated is { } updated)
                {
                    writer.WriteNumber("lastUpdated", updated);
                }

                writer.WriteEndObject();
                break;
            case CommitInfo c:
                WriteCommitInfo(writer, c);
                break;
            case CheckpointMetadataAction cm:
                writer.WriteStartObject("checkpointMetadata");
                writer.WriteNumber("version", cm.Version);
                if (cm.Tags is not null)
                {
                    WriteMap(writer, "tags", cm.Tags);
                }

                writer.WriteEndObject();
                break;
            case SidecarAction sc:
                writer.WriteStartObject("sidecar");
                writer.WriteString("path", sc.Path);
                writer.WriteNumber("sizeInBytes", sc.SizeInBytes);
                writer.WriteNumber("modificationTime", sc.ModificationTime);
                if (sc.Tags is not null)
                {
                    WriteMap(writer, "tags", sc.Tags);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"cannot serialize action type {action.GetType().Name}", nameof(action));
        }

        writer.WriteEndObject();
    }

    private static void WriteCommitInfo(Utf8JsonWriter writer, CommitInfo c)
    {
        writer.WriteStartObject("commitInfo");
        if (c.Timestamp is { } timestamp)
        {
            writer.WriteNumber("timestamp", timestamp);
        }

        WriteOptionalString(writer, "operation", c.Operation);
        WriteMap(writer, "operationParameters", c.OperationParameters);
        if (c.ReadVersion is { } readVersion)
        {
            writer.WriteNumber("readVersion", readVersion);
        }

        if (c.IsBlindAppend is { } blind)
        {
            writer.WriteBoolean("isBlindAppend", blind);
        }

        foreach (var (name, value) in c.Extra ?? new Dictionary<string, JsonElement>())
        {
            if (!KnownCommitInfoFields.Contains(name))
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    // Log files are data, not HTML: keep '+', quotes and non-ASCII readable instead of \uXXXX escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> KnownCommitInfoFields = ["timestamp", "operation", "operationParameters", "readVersion", "isBlindAppend"];

    private static MetadataAction ReadMetadata(JsonElement body)
    {
        var format = body.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Object
            ? new FormatSpec(OptionalString(f, "provider") ?? "parquet", ReadStringMap(f, "options"))
            : FormatSpec.Parquet;
        var partitionColumns = new List<string>();
        if (body.TryGetProperty("partitionColumns", out var columns) && columns.ValueKind == JsonValueKind.Array)
        {
            foreach (var column in columns.EnumerateArray())
            {
                partitionColumns.Add(column.GetString()!);
            }
        }

        return new MetadataAction(
            body.GetProperty("id").GetString()!,
            OptionalString(body, "name"),
            OptionalString(body, "description"),
            format,
            body.GetProperty("schemaString").GetString()!,
            partitionColumns,
            ReadStringMap(body, "configuration"),
            OptionalLong(body, "createdTime"));
    }

    private static AddFile ReadAdd(JsonElement body) => new(
        body.GetProperty("path").GetString()!,
        ReadNullableMap(body, "partitionValues") ?? new Dictionary<string, string?>(),
        OptionalLong(body, "size") ?? 0,
        OptionalLong(body, "modificationTime") ?? 0,
        OptionalBool(body, "dataChange") ?? true,
        OptionalString(body, "stats"),
        body.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object ? ReadStringMap(body, "tags") : null,
        ReadDeletionVector(body));

    private static RemoveFile ReadRemove(JsonElement body) => new(
        body.GetProperty("path").GetString()!,
        OptionalLong(body, "deletionTimestamp"),
        OptionalBool(body, "dataChange") ?? true,
        OptionalBool(body, "extendedFileMetadata"),
        ReadNullableMap(body, "partitionValues"),
        OptionalLong(body, "size"),
        body.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object ? ReadStringMap(body, "tags") : null,
        ReadDeletionVector(body),
        OptionalString(body, "stats"));

    private static DeletionVectorDescriptor? ReadDeletionVector(JsonElement body)
    {
        if (!body.TryGetProperty("deletionVector", out var dv) || dv.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new DeletionVectorDescriptor(
            dv.GetProperty("storageType").GetString()!,
            dv.GetProperty("pathOrInlineDv").GetString()!,
            dv.TryGetProperty("offset", out var offset) && offset.ValueKind == JsonValueKind.Number ? offset.GetInt32() : null,
            dv.GetProperty("sizeInBytes").GetInt32(),
            dv.GetProperty("cardinality").GetInt64(),
            OptionalLong(dv, "maxRowIndex"));
    }

    private static void WriteDeletionVector(Utf8JsonWriter writer, DeletionVectorDescriptor? dv)
    {
        if (dv is null)
        {
            return;
        }

        writer.WriteStartObject("deletionVector");
        writer.WriteString("storageType", dv.StorageType);
        writer.WriteString("pathOrInlineDv", dv.PathOrInlineDv);
        if (dv.Offset is { } offset)
        {
            writer.WriteNumber("offset", offset);
        }

        writer.WriteNumber("sizeInBytes", dv.SizeInBytes);
        writer.WriteNumber("cardinality", dv.Cardinality);
        if (dv.MaxRowIndex is { } maxRowIndex)
        {
            writer.WriteNumber("maxRowIndex", maxRowIndex);
        }

        writer.WriteEndObject();
    }

    private static CommitInfo ReadCommitInfo(JsonElement body)
    {
        var parameters = new Dictionary<string, string>();
        if (body.TryGetProperty("operationParameters", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in p.EnumerateObject())
            {
                // Spark writes every parameter as a string; other engines may not: keep their JSON text.
                parameters[parameter.Name] = parameter.Value.ValueKind == JsonValueKind.String
                    ? parameter.Value.GetString()!
                    : parameter.Value.GetRawText();
            }
        }

        var extra = new Dictionary<string, JsonElement>();
        foreach (var field in body.EnumerateObject())
        {
            if (!KnownCommitInfoFields.Contains(field.Name))
            {
                extra[field.Name] = field.Value.Clone();
            }
        }

        return new CommitInfo(
            OptionalLong(body, "timestamp"),
            OptionalString(body, "operation"),
            parameters,
            OptionalLong(body, "readVersion"),
            OptionalBool(body, "isBlindAppend"),
            extra);
    }

    private static string? OptionalString(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? OptionalLong(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static bool? OptionalBool(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static Dictionary<string, string>? OptionalStringMap(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? ReadStringMap(body, name) : null;

    private static Dictionary<string, string> ReadStringMap(JsonElement body, string name)
    {
        var map = new Dictionary<string, string>();
        if (body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in value.EnumerateObject())
            {
                map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            }
        }

        return map;
    }

    private static Dictionary<string, string?>? ReadNullableMap(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<string, string?>();
        foreach (var entry in value.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.Null ? null : entry.Value.GetString();
        }

        return map;
    }

    private static List<string>? OptionalStringList(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException($"{name} holds a non-string value"))]
            : null;

    private static void WriteOptionalStringList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteOptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteNullableMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string?> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            if (value is null)
            {
                writer.WriteNull(key);
            }
            else
            {
                writer.WriteString(key, value);
            }
        }

        writer.WriteEndObject();
    }
}
