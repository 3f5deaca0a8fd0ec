using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A trigger in a query's persisted definition: <c>{"kind":"processingTime","intervalMs":2000}</c>. Definitions written
/// before triggers were typed hold only the kind as a string; their interval is restored by the definition itself.
/// </summary>
public sealed class TriggerJsonConverter : JsonConverter<Trigger>
{
    public override Trigger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return FromKind(reader.GetString()!, TimeSpan.Zero);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null;
        var interval = root.TryGetProperty("intervalMs", out var ms) ? TimeSpan.FromMilliseconds(ms.GetDouble()) : TimeSpan.Zero;
        return FromKind(kind ?? throw new JsonException("A trigger needs its kind"), interval);
    }

    public override void Write(Utf8JsonWriter writer, Trigger value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", KindOf(value));
        if (IntervalOf(value) is { } interval)
        {
            writer.WriteNumber("intervalMs", interval.TotalMilliseconds);
        }

        writer.WriteEndObject();
    }

    /// <summary>The interval a trigger runs at, for the kinds that have one.</summary>
    public static TimeSpan? IntervalOf(Trigger trigger) => trigger switch
    {
        ProcessingTimeTrigger p => p.Interval,
        ContinuousTrigger c => c.CheckpointInterval,
        _ => null,
    };

    public static string KindOf(Trigger trigger) => trigger switch
    {
        ProcessingTimeTrigger => "processingTime",
        AvailableNowTrigger => "availableNow",
        OnceTrigger => "once",
        ContinuousTrigger => "continuous",
        ManualTrigger => "manual",
        _ => "default",
    };

    public static Trigger FromKind(string kind, TimeSpan interval) => kind switch
    {
        "processingTime" => Trigger.ProcessingTime(interval),
        "availableNow" => Trigger.AvailableNow,
        "once" => Trigger.Once,
        "continuous" => Trigger.Continuous(interval),
        "manual" => Trigger.Manual,
        "default" => Trigger.Default,
        _ => throw new JsonException($"Unknown trigger kind '{kind}'"),
    };
}
