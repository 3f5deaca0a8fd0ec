using System.Net;
using System.Text.Json.Nodes;

namespace OrleansStreams.Host.Tests;

/// <summary>The streams UI's JSON API (<c>/streams/api/</c>) and its authentication outside Development.</summary>
[Collection(StreamsUiCollection.Name)]
public sealed class StreamsApiTests(StreamsUiCluster cluster)
{
    [Theory]
    [InlineData("/streams")]
    [InlineData("/streams/ui_running")]
    [InlineData("/streams/api/queries")]
    [InlineData("/streams/api/queries/ui_running")]
    [InlineData("/streams/assets/query.js")]
    public async Task Outside_Development_every_page_and_API_call_needs_the_dashboard_accountAsync(string path)
    {
        var anonymous = await cluster.GetAsync(path, user: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cluster.GetAsync(path, password: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cluster.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_list_has_every_query_with_state_silo_trigger_last_batch_rates_backlog_and_errorAsync()
    {
        var response = await cluster.GetAsync("/streams/api/queries");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var queries = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["queries"]!.AsArray();

        var running = Assert.Single(queries, q => q!["name"]!.GetValue<string>() == StreamsUiCluster.Running)!;
        Assert.Equal("running", running["state"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(running["silo"]!.GetValue<string>()));
        Assert.Equal("processingTime=0.2 seconds", running["trigger"]!.GetValue<string>());
        Assert.True(running["lastBatchId"]!.GetValue<long>() >= StreamsUiCluster.Files - 1);
        Assert.NotNull(running["lastBatchTime"]);
        Assert.True(running["processedRowsPerSecond"]!.GetValue<double>() >= 0);
        Assert.True(running["inputRowsPerSecond"]!.GetValue<double>() >= 0);
        Assert.Equal(0, running["backlogFiles"]!.GetValue<long>());
        Assert.Equal(0, running["backlogBytes"]!.GetValue<long>());
        Assert.Null(running["error"]);

        var failing = Assert.Single(queries, q => q!["name"]!.GetValue<string>() == StreamsUiCluster.Failing)!;
        Assert.Equal("failed", failing["state"]!.GetValue<string>());
        Assert.Null(failing["silo"]);
        Assert.Contains("schema mismatch", failing["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_has_its_recent_progress_in_Spark_s_shape_its_plan_and_sinkAsync()
    {
        var query = JsonNode.Parse(await (await cluster.GetAsync($"/streams/api/queries/{StreamsUiCluster.Running}")).Content.ReadAsStringAsync())!;
        Assert.Equal(StreamsUiCluster.Running, query["name"]!.GetValue<string>());
        Assert.Equal("Append", query["outputMode"]!.GetValue<string>());
        Assert.NotNull(query["plan"]!.AsObject());
        Assert.Null(query["failure"]);

        var progress = query["recentProgress"]!.AsArray();
        var withRows = progress.Where(p => p!["numInputRows"]!.GetValue<long>() > 0).ToList();
        Assert.True(withRows.Count >= StreamsUiCluster.Files, $"{withRows.Count} batches with rows");
        foreach (var batch in withRows)
        {
            Assert.True(batch!["durationMs"]!["triggerExecution"]!.GetValue<long>() >= 0);
            var source = Assert.Single(batch["sources"]!.AsArray())!;
            Assert.StartsWith("CloudFilesSource[", source["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(source["metrics"]!["numFilesOutstanding"]);
            Assert.NotNull(source["metrics"]!["numBytesOutstanding"]);
            Assert.NotNull(batch["sink"]!["description"]);
        }

        // Oldest first, as Spark's recentProgress.
        var ids = progress.Select(p => p!["batchId"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task A_failed_query_has_its_message_and_stack_traceAsync()
    {
        var query = JsonNode.Parse(await (await cluster.GetAsync($"/streams/api/queries/{StreamsUiCluster.Failing}")).Content.ReadAsStringAsync())!;
        Assert.Equal("failed", query["state"]!.GetValue<string>());
        Assert.Contains("schema mismatch", query["failure"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(" at ", query["failure"]!["stackTrace"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_query_is_not_foundAsync() =>
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.GetAsync("/streams/api/queries/no_such_query")).StatusCode);
}
