using System.Text;
using System.Text.Json.Nodes;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// Packs events into as few storage-queue messages as fit: each message is a JSON array of events whose size
/// on the wire (UTF-8, with the XML escapes the queue service's request body adds) stays within the limit.
/// </summary>
public static class MessagePacker
{
    public static IEnumerable<string> Pack(IEnumerable<JsonObject> events, int maxBytes = NotificationStreams.MaxMessageBytes)
    {
        var batch = new StringBuilder("[");
        var size = 2; // the brackets
        var count = 0;
        foreach (var e in events)
        {
            var json = e.ToJsonString();
            var bytes = WireSize(json);
            if (bytes + 2 > maxBytes)
            {
                throw new ArgumentException(
                    $"The event {e["id"]} for {e["data"]?["url"]} is {bytes} bytes of JSON: more than a storage-queue message holds ({maxBytes} bytes)");
            }

            if (count > 0 && size + 1 + bytes > maxBytes)
            {
                yield return batch.Append(']').ToString();
                batch.Clear().Append('[');
                (size, count) = (2, 0);
            }

            if (count > 0)
            {
                batch.Append(',');
                size++;
            }

            batch.Append(json);
            size += bytes;
            count++;
        }

        if (count > 0)
        {
            yield return batch.Append(']').ToString();
        }
    }

    /// <summary>UTF-8 bytes plus the growth of &amp;, &lt; and &gt; into XML entities.</summary>
    public static int WireSize(string text)
    {
        var size = Encoding.UTF8.GetByteCount(text);
        foreach (var c in text)
        {
            size += c switch
            {
                '&' => 4,
                '<' or '>' => 3,
                _ => 0,
            };
        }

        return size;
    }
}
