using System.Text.Json;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A query's definition as its grain persists it (<c>_grains/query.json</c>, web JSON): typed triggers and output modes
/// round-trip, and definitions written before they were typed (the trigger's kind as a string, its interval beside it) still read.
/// </summary>
public sealed class QueryDefinitionJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<Trigger> Triggers() => new()
    {
        Trigger.Default, Trigger.AvailableNow, Trigger.Once, Trigger.Manual, Trigger.ProcessingTime(TimeSpan.FromSeconds(2)), Trigger.Continuous(TimeSpan.FromMilliseconds(1500)),
    };

    [Theory]
    [MemberData(nameof(Triggers))]
    public void A_definition_round_trips_with_its_trigger_and_output_mode(Trigger trigger)
    {
        var definition = Definition() with { Trigger = trigger, OutputMode = OutputMode.Complete, Retry = new QueryRetryPolicy { MaxRetries = 3 } };

        var json = JsonSerializer.Serialize(definition, Web);
        var read = JsonSerializer.Deserialize<QueryDefinition>(json, Web)!;

        Assert.Equal(trigger, read.Trigger);
        Assert.Equal(OutputMode.Complete, read.OutputMode);
        Assert.Equal(3, read.Retry.MaxRetries);
        Assert.Contains("\"outputMode\":\"Complete\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("triggerIntervalMs", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("processingTime", 2000, "ProcessingTime")]
    [InlineData("continuous", 1000, "Continuous")]
    [InlineData("availableNow", 0, "AvailableNow")]
    [InlineData("default", 0, "Default")]
    public void A_definition_written_before_triggers_were_typed_still_reads(string kind, long intervalMs, string expected)
    {
        var json = $$"""{"planJson":"{}","outputMode":"Append","trigger":"{{kind}}","triggerIntervalMs":{{intervalMs}},"sink":"t","checkpointLocation":"/c","warehouse":"/w"}""";

        var read = JsonSerializer.Deserialize<QueryDefinition>(json, Web)!;

        Assert.Equal(expected, read.Trigger.GetType().Name.Replace("Trigger", string.Empty, StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromMilliseconds(intervalMs), TriggerJsonConverter.IntervalOf(read.Trigger) ?? TimeSpan.Zero);
        Assert.Equal(OutputMode.Append, read.OutputMode);
        Assert.Equal(QueryRetryPolicy.None, read.Retry);
    }

    [Fact]
    public void An_unknown_trigger_kind_is_refused_naming_it()
    {
        var json = """{"planJson":"{}","outputMode":"Append","trigger":{"kind":"sometimes"},"sink":"t","checkpointLocation":"/c","warehouse":"/w"}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<QueryDefinition>(json, Web));
        Assert.Contains("'sometimes'", error.Message, StringComparison.Ordinal);
    }

    private static QueryDefinition Definition() => new()
    {
        PlanJson = "{}",
        OutputMode = OutputMode.Append,
        Trigger = Trigger.Default,
        Sink = "t",
        CheckpointLocation = "/c",
        Warehouse = "/w",
    };
}
