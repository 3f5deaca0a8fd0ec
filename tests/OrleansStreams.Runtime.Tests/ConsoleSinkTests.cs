using System.Text.RegularExpressions;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The console sink writes to the process's standard output, so its test runs alone.</summary>
[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput;

[Collection(nameof(ConsoleOutput))]
public sealed class ConsoleSinkTests : IDisposable
{
    private readonly TempDirectory temp = new("console-sink");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task The_console_sink_prints_each_batch_as_a_tableAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 3);
        var printed = new StringWriter();
        var original = Console.Out;
        Console.SetOut(printed);
        try
        {
            await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
            var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("in"))
                .Select("offset", "topic").WriteStream().Format("console").Trigger(Trigger.AvailableNow).StartAsync();
            Assert.True(await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Console.SetOut(original);
        }

        var text = printed.ToString();
        Assert.Contains("Batch: 0", text, StringComparison.Ordinal);
        Assert.Matches(@"\|offset\|\s*topic\|", text);
        Assert.Matches(new Regex(@"^\|\s*0\|\s*orders\|$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\|\s*1\|\s*books\|$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^\|\s*2\|\s*customers\|$", RegexOptions.Multiline), text);
    }
}
