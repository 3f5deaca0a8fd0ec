using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Notifications.Tests;

public sealed class SourceRouterTests
{
    private static readonly QueueConnection Queue = new() { QueueName = "events", ServiceUri = "https://acct.queue.core.windows.net" };

    private static NotificationSubscription Source(string folder, string name, string? pattern = null, string? filter = null, bool recursive = true) => new()
    {
        Source = new DiscoverySpec
        {
            Folder = folder,
            Pattern = pattern,
            PathGlobFilter = filter,
            Recursive = recursive,
            CheckpointFolder = $"/checkpoints/{name}/sources/0",
            Notifications = new NotificationSpec { QueueName = "events" },
        },
        Queue = Queue,
    };

    private static BlobCreatedEvent Blob(string url) => new() { Id = "1", Url = url, ContentLength = 10, EventTime = DateTimeOffset.UtcNow };

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/landing/in/a.json", "in-folder", "a.json")]
    [InlineData("https://acct.blob.core.windows.net/landing/in/2024/01/b.json", "in-folder", "2024/01/b.json")]
    [InlineData("https://ACCT.blob.core.windows.net/landing/in/a%20b.json", "in-folder", "a b.json")]
    [InlineData("https://acct.blob.core.windows.net/landing/in-other/a.json", null, null)]
    [InlineData("https://acct.blob.core.windows.net/landing/in", null, null)]
    [InlineData("https://acct.blob.core.windows.net/other/in/a.json", null, null)]
    [InlineData("https://other.blob.core.windows.net/landing/in/a.json", null, null)]
    [InlineData("https://acct.blob.core.windows.net/landing/in/_SUCCESS", null, null)]
    [InlineData("https://acct.blob.core.windows.net/landing/in/.a.json.tmp", null, null)]
    [InlineData("not a url", null, null)]
    public void An_event_goes_to_the_source_whose_folder_holds_the_blob(string url, string? source, string? key)
    {
        var router = new SourceRouter(new NotificationSubscriptions(1, [Source("https://acct.blob.core.windows.net/landing/in/", "in-folder")]));
        var routed = router.Route(Queue.Address(), Blob(url));
        if (source is null)
        {
            Assert.Empty(routed);
            return;
        }

        var file = Assert.Single(routed);
        Assert.Equal($"/checkpoints/{source}/sources/0", file.Subscription.Source.CheckpointFolder);
        Assert.Equal(key, file.File.Key);
        Assert.Equal(10, file.File.Size);
    }

    [Fact]
    public void Globs_filters_and_recursion_of_each_source_apply()
    {
        var router = new SourceRouter(new NotificationSubscriptions(1,
        [
            Source("https://acct.blob.core.windows.net/landing", "csv-only", filter: "*.csv"),
            Source("https://acct.blob.core.windows.net/landing", "year-2024", pattern: "year=2024/*"),
            Source("https://acct.blob.core.windows.net/landing", "top-level", recursive: false),
        ]));

        string[] Targets(string path) =>
            router.Route(Queue.Address(), Blob("https://acct.blob.core.windows.net/landing/" + path)).Select(r => r.Subscription.Source.CheckpointFolder.Split('/')[2]).Order().ToArray();

        Assert.Equal(["csv-only", "top-level"], Targets("a.csv"));
        Assert.Equal(["csv-only", "year-2024"], Targets("year=2024/b.csv"));
        Assert.Equal(["year-2024"], Targets("year=2024/b.json"));
        Assert.Empty(Targets("year=2023/b.json"));
    }

    [Fact]
    public void Events_of_a_queue_go_only_to_sources_reading_that_queue()
    {
        var router = new SourceRouter(new NotificationSubscriptions(1, [Source("https://acct.blob.core.windows.net/landing/in", "in-folder")]));
        var other = Queue with { QueueName = "other-events" };
        Assert.Empty(router.Route(other.Address(), Blob("https://acct.blob.core.windows.net/landing/in/a.json")));
        Assert.Equal(["https://acct.queue.core.windows.net/events"], router.Queues.Select(q => q.Address));
    }
}
