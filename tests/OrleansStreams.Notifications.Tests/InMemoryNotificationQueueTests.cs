using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Notifications.Tests;

/// <summary>The in-memory queue keeps the storage queue's rules the provider relies on: visibility, receipts, dequeue counts.</summary>
public sealed class InMemoryNotificationQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_missing_queue_receives_null_and_a_created_one_hands_out_messages_in_orderAsync()
    {
        var queue = new InMemoryNotificationQueues().Queue("q");
        Assert.Null(await queue.ReceiveAsync(1, Timeout, CancellationToken.None));
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        foreach (var body in new[] { "a", "b", "c" })
        {
            await queue.SendAsync(body, CancellationToken.None);
        }

        var first = await queue.ReceiveAsync(2, Timeout, CancellationToken.None);
        Assert.Equal(["a", "b"], first!.Select(m => m.Body));
        Assert.All(first!, m => Assert.Equal(1, m.DequeueCount));
        Assert.Equal("c", Assert.Single((await queue.ReceiveAsync(5, Timeout, CancellationToken.None))!).Body);
        Assert.Empty((await queue.ReceiveAsync(5, Timeout, CancellationToken.None))!);
        Assert.Equal(3, queue.Hidden);
    }

    [Fact]
    public async Task A_message_not_deleted_in_time_comes_back_with_a_new_receipt_and_the_old_one_is_staleAsync()
    {
        var time = new ManualTime();
        var queue = new InMemoryNotificationQueues(time).Queue("q");
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        await queue.SendAsync("a", CancellationToken.None);

        var first = Assert.Single((await queue.ReceiveAsync(1, Timeout, CancellationToken.None))!);
        time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.Empty((await queue.ReceiveAsync(1, Timeout, CancellationToken.None))!);
        time.Advance(TimeSpan.FromSeconds(2));
        var again = Assert.Single((await queue.ReceiveAsync(1, Timeout, CancellationToken.None))!);

        Assert.Equal((first.Id, 2), (again.Id, again.DequeueCount));
        Assert.False(await queue.DeleteAsync(first.Id, first.PopReceipt, CancellationToken.None));
        Assert.Null(await queue.UpdateVisibilityAsync(first.Id, first.PopReceipt, Timeout, CancellationToken.None));
        Assert.True(await queue.DeleteAsync(again.Id, again.PopReceipt, CancellationToken.None));
        Assert.Equal((0, 0, 2L, 1L), (queue.Count, queue.Hidden, queue.Received, queue.Deleted));
    }

    [Fact]
    public async Task Updating_the_visibility_hides_a_message_longer_under_a_new_receiptAsync()
    {
        var time = new ManualTime();
        var queue = new InMemoryNotificationQueues(time).Queue("q");
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        await queue.SendAsync("a", CancellationToken.None);

        var message = Assert.Single((await queue.ReceiveAsync(1, Timeout, CancellationToken.None))!);
        time.Advance(Timeout / 2);
        var receipt = await queue.UpdateVisibilityAsync(message.Id, message.PopReceipt, Timeout, CancellationToken.None);
        time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.Empty((await queue.ReceiveAsync(1, Timeout, CancellationToken.None))!);
        Assert.False(await queue.DeleteAsync(message.Id, message.PopReceipt, CancellationToken.None));
        Assert.True(await queue.DeleteAsync(message.Id, receipt!, CancellationToken.None));

        time.Advance(Timeout);
        Assert.Empty((await queue.ReceiveAsync(1, Timeout, CancellationToken.None))!);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
