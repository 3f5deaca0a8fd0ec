using Orleans.TestingHost;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A cluster query whose batch fails stays failed with its error, as in Spark: the registry and the grain report it,
/// nothing brings it back by itself, and starting it again replays the failed batch — failing again while the cause
/// remains, and running on once it is fixed.
/// </summary>
public sealed class FailedClusterQueryTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("failed-query");
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await StreamingTestCluster.StartAsync(1, temp.Combine("state"));

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task A_failed_query_stays_failed_until_started_again_after_its_cause_is_fixedAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 4);
        await using var spark = StreamingSession.Connect(cluster.Client, new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), PollInterval = TimeSpan.FromMilliseconds(50) });
        var table = temp.Combine("offsets");

        // The table holds offsets as numbers; the second query writes them as strings, which Delta refuses.
        var numbers = await Raw(spark).SelectExpr("offset").WriteStream().Option("checkpointLocation", temp.Combine("c-numbers")).Trigger(Trigger.AvailableNow).StartAsync(table);
        await numbers.AwaitTerminationAsync();
        var strings = await Raw(spark).SelectExpr("CAST(offset AS STRING) AS offset").WriteStream().QueryName("strings")
            .Option("checkpointLocation", temp.Combine("c-strings")).Trigger(Trigger.ProcessingTime("100 milliseconds")).StartAsync(table);

        var failure = await Assert.ThrowsAsync<StreamingQueryException>(() => strings.AwaitTerminationAsync());
        Assert.Contains("schema mismatch", failure.Message, StringComparison.Ordinal);
        var registered = Assert.Single(await spark.ListClusterQueriesAsync(), q => q.Name == "strings");
        Assert.False(registered.Running);
        Assert.Contains("schema mismatch", registered.Error, StringComparison.Ordinal);
        var status = await spark.GetClusterQueryStatusAsync(registered.CheckpointLocation);
        Assert.False(status.IsActive);
        Assert.Contains("schema mismatch", status.Error, StringComparison.Ordinal);

        // Started again while the cause remains, the replayed batch fails the same way and the query stays failed.
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => spark.StartClusterQueryAsync("strings"));
        Assert.Contains("schema mismatch", again.Message, StringComparison.Ordinal);
        Assert.Contains("schema mismatch", Assert.Single(await spark.ListClusterQueriesAsync(), q => q.Name == "strings").Error, StringComparison.Ordinal);

        // Fixed (the table goes), started again: the failed batch runs and the query goes on.
        Directory.Delete(table, recursive: true);
        var resumed = await spark.StartClusterQueryAsync("strings");
        await Polling.UntilAsync(() => Task.FromResult(DuckDbDelta.ReadRows(table).Count == 4 || !resumed.IsActive), TimeSpan.FromSeconds(60), () => $"the resumed query wrote nothing: {resumed.Status}");
        Assert.True(resumed.IsActive, resumed.Exception?.Message);
        Assert.Null(Assert.Single(await spark.ListClusterQueriesAsync(), q => q.Name == "strings").Error);
        Assert.Equal(["0", "1", "2", "3"], DuckDbDelta.ReadRows(table).Select(r => r!["offset"]!.GetValue<string>()).Order());
        await spark.StopClusterQueryAsync("strings");
    }

    private Engine.DataFrames.DataFrame Raw(StreamingSession spark) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("in"));
}
