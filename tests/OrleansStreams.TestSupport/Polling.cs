using Xunit;

namespace OrleansStreams.TestSupport;

/// <summary>Waits for a condition by polling, with a generous timeout and a message saying what never happened.</summary>
public static class Polling
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
            {
                // not up yet
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{failure()} (waited {timeout.TotalSeconds} s)");
            }

            await Task.Delay(100);
        }
    }
}
