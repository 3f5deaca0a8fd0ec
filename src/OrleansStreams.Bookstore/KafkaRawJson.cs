using System.Text.Json;

namespace OrleansStreams.Bookstore;

/// <summary>The kafka-raw files: JSON lines with key and value as base64 binary, topic, partition, offset and a timestamp in ms.</summary>
public static class KafkaRawJson
{
    /// <summary>The seed's schema for these files.</summary>
    public const string Schema = "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG";

    public static string Write(string path, IEnumerable<KafkaRecord> records) => JsonLinesFile.Write(path, records, WriteRecord);

    private static void WriteRecord(Utf8JsonWriter json, KafkaRecord record)
    {
        json.WriteStartObject();
        json.WriteBase64String("key", record.Key);
        json.WriteBase64String("value", record.Value);
        json.WriteString("topic", record.Topic);
        json.WriteNumber("partition", record.Partition);
        json.WriteNumber("offset", record.Offset);
        json.WriteNumber("timestamp", record.TimestampMs);
        json.WriteEndObject();
    }
}
