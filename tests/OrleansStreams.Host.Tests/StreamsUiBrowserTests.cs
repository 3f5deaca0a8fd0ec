using Microsoft.Playwright;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// The streams UI in headless Chromium, signed in with the dashboard account: the list shows the running query, its
/// page draws charts from its real batches, a failed query's page shows its message. Each page is kept as a
/// screenshot beside the test binaries (screenshots/).
/// </summary>
[Collection(StreamsUiCollection.Name)]
public sealed class StreamsUiBrowserTests(StreamsUiCluster cluster, Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private IBrowserContext context = null!;

    public async Task InitializeAsync() => context = await chromium.Browser.NewContextAsync(new()
    {
        HttpCredentials = new() { Username = StreamsUiCluster.User, Password = StreamsUiCluster.Password },
        ViewportSize = new() { Width = 1400, Height = 1000 },
    });

    public Task DisposeAsync() => context.DisposeAsync().AsTask();

    [Fact]
    public async Task The_list_shows_the_running_query_linking_to_its_pageAsync()
    {
        var page = await OpenAsync("/streams");
        var row = page.Locator($"tr[data-query='{StreamsUiCluster.Running}']");
        await Assertions.Expect(row.Locator(".state")).ToContainTextAsync("running");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("processingTime=0.2 seconds");
        await Assertions.Expect(page.Locator($"tr[data-query='{StreamsUiCluster.Failing}'] .state")).ToHaveTextAsync("failed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "streams-list.png"), FullPage = true });

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/streams/{StreamsUiCluster.Running}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(StreamsUiCluster.Running);
    }

    [Fact]
    public async Task A_query_s_page_charts_its_batches_and_lists_its_progress_source_and_planAsync()
    {
        var page = await OpenAsync($"/streams/{StreamsUiCluster.Running}");

        // A dot per batch on both rate lines, a stacked bar per batch of its phases, a backlog point per batch.
        var rates = page.Locator("#chart-rates circle.point");
        await Assertions.Expect(page.Locator("#chart-rates circle.point[data-series='processed rows/s']").Nth(StreamsUiCluster.Files - 1)).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#chart-rates circle.point[data-series='input rows/s']").Nth(StreamsUiCluster.Files - 1)).ToBeAttachedAsync();
        Assert.Contains(await rates.EvaluateAllAsync<double[]>("dots => dots.map(d => Number(d.dataset.value))"), v => v > 0);
        await Assertions.Expect(page.Locator("#chart-durations rect.segment[data-series='addBatch']").Nth(StreamsUiCluster.Files - 1)).ToBeAttachedAsync();
        var backlog = await page.Locator("#chart-backlog-files circle.point").EvaluateAllAsync<double[]>("dots => dots.map(d => Number(d.dataset.value))");
        Assert.Contains(StreamsUiCluster.Files - 1, backlog);
        Assert.Contains(0, backlog);
        var backlogBytes = await page.Locator("#chart-backlog-bytes circle.point").EvaluateAllAsync<double[]>("dots => dots.map(d => Number(d.dataset.value))");
        Assert.True(backlogBytes.Max() > 0 && backlogBytes.Contains(0), $"backlog bytes per batch: {string.Join(", ", backlogBytes)}");

        await Assertions.Expect(page.Locator("#progress tbody tr").Nth(StreamsUiCluster.Files - 1)).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#sources tbody td").First).ToContainTextAsync("CloudFilesSource[");
        await Assertions.Expect(page.Locator("#plan")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#failure")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "streams-query.png"), FullPage = true });
    }

    [Fact]
    public async Task A_stateful_query_s_page_charts_its_state_rows_and_watermarkAsync()
    {
        var page = await OpenAsync($"/streams/{StreamsUiCluster.Watermarked}");
        await Assertions.Expect(page.Locator("#chart-state-rows circle.point").Nth(StreamsUiCluster.Files - 1)).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#chart-watermark circle.point").Nth(1)).ToBeAttachedAsync();
        var watermarks = await page.Locator("#chart-watermark circle.point").EvaluateAllAsync<double[]>("dots => dots.map(d => Number(d.dataset.value))");
        Assert.True(watermarks[^1] > watermarks[0], $"the watermark did not advance: {string.Join(", ", watermarks)}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "streams-watermark.png"), FullPage = true });
    }

    [Fact]
    public async Task A_failed_query_s_page_shows_its_message_and_stack_traceAsync()
    {
        var page = await OpenAsync($"/streams/{StreamsUiCluster.Failing}");
        await Assertions.Expect(page.Locator("#failure")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#failure-message")).ToContainTextAsync("schema mismatch");
        await Assertions.Expect(page.Locator("#failure-stack")).ToContainTextAsync(" at ");
        await Assertions.Expect(page.Locator("dd[data-field='State']")).ToHaveTextAsync("failed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "streams-failed.png"), FullPage = true });
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        var response = await page.GotoAsync($"{cluster.Url}{path}");
        Assert.True(response?.Ok, $"{path} answered {response?.Status}");
        await Assertions.Expect(page.Locator("#updated")).ToContainTextAsync("updated");
        Assert.Empty(errors);
        return page;
    }
}
