using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.ObjectStore;

public sealed class LocalFileLockTests
{
    [Fact]
    public async Task A_second_holder_waits_until_the_first_releases_and_the_lock_file_is_removedAsync()
    {
        using var temp = new TempDirectory("lock");
        var path = temp.Combine("k.os-lock");

        var first = await LocalFileLock.AcquireAsync(path, CancellationToken.None);
        var second = LocalFileLock.AcquireAsync(path, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(second.IsCompleted, "the lock was granted twice");

        first.Dispose();
        (await second).Dispose();

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Waiting_can_be_cancelledAsync()
    {
        using var temp = new TempDirectory("lock");
        var path = temp.Combine("k.os-lock");
        using var held = await LocalFileLock.AcquireAsync(path, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = LocalFileLock.AcquireAsync(path, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
