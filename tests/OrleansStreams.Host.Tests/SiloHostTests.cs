using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>The silo host in this process (localhost clustering): its endpoints, dashboard auth, and the telemetry of a query it runs.</summary>
public sealed class SiloHostTests : IDisposable
{
    private readonly TempDirectory temp = new("silo-host");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        http.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Health_readiness_and_the_dashboard_behind_authentication_outside_DevelopmentAsync()
    {
        var (app, url) = await StartAsync("Production", "--OrleansStreams:Dashboard:Password=s3cret");
        await using (app)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{url}/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{url}/readyz")).StatusCode);

            var anonymous = await http.GetAsync($"{url}/dashboard/");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"{url}/dashboard/", "admin", "wrong")).StatusCode);
            var signedIn = await GetAsync($"{url}/dashboard/", "admin", "s3cret");
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Contains("<html", await signedIn.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Without_a_password_the_dashboard_lets_nobody_in_outside_DevelopmentAsync()
    {
        var (app, url) = await StartAsync("Production");
        await using (app)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"{url}/dashboard/", "admin", string.Empty)).StatusCode);
        }
    }

    [Fact]
    public async Task A_query_on_the_host_reports_rows_batch_durations_backlog_and_spansAsync()
    {
        const int Files = 4, Rows = 10;
        for (var i = 0; i < Files; i++)
        {
            InputFiles.Write(temp.Combine("input"), i, Rows);
        }

        var queryName = $"metrics_{Guid.NewGuid():N}";
        long rows = 0, batches = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "orleansstreams.query.input.rows" && HasName(tags, queryName))
            {
                Interlocked.Add(ref rows, value);
            }
        });
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "orleansstreams.query.batch.duration" && HasName(tags, queryName))
            {
                Interlocked.Increment(ref batches);
            }
        });
        meters.Start();
        var spans = new List<Activity>();
        using var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StreamingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem("orleansstreams.query.name") == queryName)
                {
                    lock (spans)
                    {
                        spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(traces);

        var (app, _) = await StartAsync("Development");
        await using (app)
        {
            await using var spark = StreamingSession.Connect(app.Services.GetRequiredService<IGrainFactory>(), new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
            var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1)
                .Schema(InputFiles.Schema).Load(temp.Combine("input"))
                .WriteStream().QueryName(queryName).Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.AvailableNow)
                .StartAsync(temp.Combine("table"));
            Assert.True(await query.AwaitTerminationAsync(TimeSpan.FromMinutes(1)), "the query did not finish");

            Assert.Equal(Files * Rows, Interlocked.Read(ref rows));
            Assert.Equal(Files, Interlocked.Read(ref batches));
            lock (spans)
            {
                Assert.Equal(Files, spans.Count(s => s.OperationName == "micro-batch"));
            }

            // The backlog is in each batch's progress too: files discovered and left for later batches.
            Assert.Equal(
                Enumerable.Range(0, Files).Select(i => (long)(Files - 1 - i)),
                query.RecentProgress.OrderBy(p => p.BatchId).Select(p => Assert.Single(p.Sources).Metrics![StreamSourceMetrics.FilesOutstanding]));
            var sizes = Directory.GetFiles(temp.Combine("input")).Order(StringComparer.Ordinal).Select(f => new FileInfo(f).Length).ToList();
            Assert.Equal(
                Enumerable.Range(0, Files).Select(i => sizes.Skip(i + 1).Sum()),
                query.RecentProgress.OrderBy(p => p.BatchId).Select(p => Assert.Single(p.Sources).Metrics![StreamSourceMetrics.BytesOutstanding]));

            // The cluster knows the query by name after it stopped, and re-attaches to it.
            var registered = Assert.Single(await spark.ListClusterQueriesAsync(), q => q.Name == queryName);
            Assert.False(registered.Running);
            var attached = await spark.AttachByNameAsync(queryName);
            Assert.Equal(query.Id, attached.Id);
            Assert.Equal(queryName, attached.Name);

            // While a query runs under a name, no query on another checkpoint may take it.
            var running = await StartNamedAsync(spark, queryName, "checkpoint-running");
            var clash = await Assert.ThrowsAnyAsync<Exception>(() => StartNamedAsync(spark, queryName, "checkpoint-other"));
            Assert.Contains($"A query named '{queryName}' is already running", clash.Message);
            Assert.Single(await spark.ListClusterQueriesAsync(), q => q.Name == queryName && q.Running);
            await running.StopAsync();
            Assert.DoesNotContain(await spark.ListClusterQueriesAsync(), q => q.Name == queryName && q.Running);
            Assert.Equal(2, (await spark.ListClusterQueriesAsync()).Count(q => q.Name == queryName)); // both runs, on their checkpoints
        }
    }

    private Task<StreamingQuery> StartNamedAsync(StreamingSession spark, string name, string checkpoint) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(InputFiles.Schema).Load(temp.Combine("input"))
            .WriteStream().QueryName(name).Option("checkpointLocation", temp.Combine(checkpoint)).Trigger(Trigger.ProcessingTime("1 second"))
            .StartAsync(temp.Combine($"table-{checkpoint}"));

    private static bool HasName(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "query.name" && (string?)tag.Value == name)
            {
                return true;
            }
        }

        return false;
    }

    private Task<(WebApplication App, string Url)> StartAsync(string environment, params string[] extra) => InProcessHost.StartAsync(http, temp, environment, extra);

    private Task<HttpResponseMessage> GetAsync(string url, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http.SendAsync(request);
    }
}
