namespace OrleansStreams.Notifications.Tests;

/// <summary>Polls a condition with a generous deadline (no fixed sleeps in tests).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, int seconds = 60) => TrueAsync(() => Task.FromResult(condition()), what, seconds);
}
