using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>What a Parquet file holds: its row count and per-column statistics (top-level columns, by name).</summary>
public sealed record ParquetWriteResult(long RowCount, IReadOnlyDictionary<string, ColumnStatistics> Columns)
{
    /// <summary>Longest string prefix Delta keeps in min/max stats.</summary>
    public const int StringPrefixLength = 32;

    /// <summary>
    /// The <c>stats</c> JSON of Delta's add action: numRecords, minValues, maxValues, nullCount.
    /// Timestamps are ISO-8601 UTC with milliseconds (max rounded up so it stays an upper bound),
    /// dates yyyy-MM-dd; a string longer than 32 characters keeps a 32-character min prefix and no max.
    /// </summary>
    public string ToDeltaStatsJson(StructType schema)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("numRecords", RowCount);
            WriteBounds(json, "minValues", schema, isMax: false);
            WriteBounds(json, "maxValues", schema, isMax: true);
            json.WriteStartObject("nullCount");
            foreach (var field in schema.Fields)
            {
                if (Columns.TryGetValue(field.Name, out var stats) && field.Type is not (StructType or ArrayType or MapType))
                {
                    json.WriteNumber(field.Name, stats.NullCount);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteBounds(Utf8JsonWriter json, string name, StructType schema, bool isMax)
    {
        json.WriteStartObject(name);
        foreach (var field in schema.Fields)
        {
            if (Columns.TryGetValue(field.Name, out var stats) && stats.HasBounds)
            {
                WriteBound(json, field, isMax ? stats.Max! : stats.Min!, isMax);
            }
        }

        json.WriteEndObject();
    }

    private static void WriteBound(Utf8JsonWriter json, StructField field, object value, bool isMax)
    {
        switch (field.Type, value)
        {
            case (StringType, string s):
                if (s.Length <= StringPrefixLength)
                {
                    json.WriteString(field.Name, s);
                }
                else if (!isMax)
                {
                    json.WriteString(field.Name, s[..StringPrefixLength]);
                }

                break;
            case (DateType, long days):
                json.WriteString(field.Name, DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case (TimestampType or TimestampNtzType, long micros):
                var millis = micros / 1000 - (micros % 1000 < 0 ? 1 : 0);
                if (isMax && micros % 1000 != 0)
                {
                    millis++;
                }

                var text = DateTime.UnixEpoch.AddMilliseconds(millis).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
                json.WriteString(field.Name, field.Type is TimestampType ? text + "Z" : text);
                break;
            case (_, long l):
                json.WriteNumber(field.Name, l);
                break;
            case (_, double d):
                json.WriteNumber(field.Name, d);
                break;
            case (_, decimal m):
                json.WriteNumber(field.Name, m);
                break;
        }
    }
}
