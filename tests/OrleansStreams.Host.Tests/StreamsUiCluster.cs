using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansStreams.Client;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// One silo host outside Development (the dashboard's Basic account guards the streams UI) running two queries the
/// UI tests look at: <see cref="Running"/>, which has run several batches from real files and keeps running,
/// <see cref="Failing"/>, which failed on a schema mismatch with the running query's table, and
/// <see cref="Watermarked"/>, a deduplication with an event-time watermark, which reports state and watermark.
/// </summary>
public sealed class StreamsUiCluster : IAsyncLifetime
{
    public const string User = "admin";
    public const string Password = "ui-s3cret";
    public const string Running = "ui_running";
    public const string Failing = "ui_failing";
    public const string Watermarked = "ui_watermarked";
    public const int Files = 4;

    private readonly TempDirectory temp = new("streams-ui");
    private WebApplication? app;
    private StreamingSession? spark;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The host's root URL (the UI is under /streams).</summary>
    public string Url { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < Files; i++)
        {
            InputFiles.Write(temp.Combine("input"), i, 10 * (i + 1));
        }

        (app, Url) = await InProcessHost.StartAsync(Http, temp, "Production", $"--OrleansStreams:Dashboard:Password={Password}",
            $"--OrleansStreams:Silo:AllowedLocations={temp.Path}");
        spark = StreamingSession.Connect(app.Services.GetRequiredService<IGrainFactory>(), new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

        // One file per batch: the charts get a point per batch, the backlog falls from 3 to 0.
        var running = await Source().WriteStream().QueryName(Running).Option("checkpointLocation", temp.Combine("c-running"))
            .Trigger(Trigger.ProcessingTime("200 milliseconds")).StartAsync(temp.Combine("table"));
        await Polling.UntilAsync(
            () => Task.FromResult(running.RecentProgress.Count(p => p.NumInputRows > 0) >= Files || !running.IsActive),
            TimeSpan.FromMinutes(1),
            () => $"the running query did not process its {Files} files: {running.Status}");
        Assert.True(running.IsActive, running.Exception?.Message);

        // The table holds ids as numbers; this query writes them as strings, which Delta refuses.
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var failing = await Source().SelectExpr("CAST(id AS STRING) AS id", "word").WriteStream().QueryName(Failing)
                .Option("checkpointLocation", temp.Combine("c-failing")).Trigger(Trigger.AvailableNow).StartAsync(temp.Combine("table"));
            await failing.AwaitTerminationAsync(TimeSpan.FromMinutes(1));
        });
        Assert.Contains("schema mismatch", failure.Message, StringComparison.Ordinal);

        // Ids as seconds since the epoch: each file's batch moves the watermark on.
        var watermarked = await Source().WithColumn("ts", Col("id").Cast("timestamp")).WithWatermark("ts", "5 seconds").DropDuplicates("id", "ts")
            .WriteStream().QueryName(Watermarked).Option("checkpointLocation", temp.Combine("c-watermarked")).Trigger(Trigger.AvailableNow)
            .StartAsync(temp.Combine("deduplicated"));
        Assert.True(await watermarked.AwaitTerminationAsync(TimeSpan.FromMinutes(1)), "the watermarked query did not finish");
    }

    public async Task DisposeAsync()
    {
        if (spark is not null)
        {
            await spark.StopClusterQueryAsync(Running);
            await spark.DisposeAsync();
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }

        Http.Dispose();
        temp.Dispose();
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? user = User, string? password = Password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Url}{path}");
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return Http.SendAsync(request);
    }

    private DataFrame Source() =>
        spark!.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema(InputFiles.Schema).Load(temp.Combine("input"));
}

[CollectionDefinition(Name)]
public sealed class StreamsUiCollection : ICollectionFixture<StreamsUiCluster>
{
    public const string Name = "streams ui";
}
