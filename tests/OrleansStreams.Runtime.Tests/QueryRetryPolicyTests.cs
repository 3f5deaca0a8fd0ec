using System.Collections.Concurrent;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A batch that fails fails the query, as in Spark, unless the opt-in retry policy (orleans.streams.query.maxRetries)
/// retries it: then the same batch (same id, same rows) runs again after the backoff and the query goes on.
/// </summary>
public sealed class QueryRetryPolicyTests : IDisposable
{
    private readonly TempDirectory temp = new("retry");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Without_a_retry_policy_a_failed_batch_fails_the_query_with_its_errorAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 3);
        await using var spark = Session();
        var query = await StartAsync(spark, failures: 1, new ConcurrentBag<(long, int)>());

        var failure = await Assert.ThrowsAsync<StreamingQueryException>(() => query.AwaitTerminationAsync());
        Assert.Contains("storage busy (attempt 1)", failure.Message, StringComparison.Ordinal);
        Assert.False(query.IsActive);
    }

    [Fact]
    public async Task A_retry_policy_runs_the_failed_batch_again_and_the_query_goes_onAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            KafkaRawFiles.Write(temp.Combine("in"), i, 2);
        }

        await using var spark = Session();
        spark.Sql($"SET {QueryRetryPolicy.MaxRetriesKey} = 3");
        spark.Sql($"SET {QueryRetryPolicy.InitialBackoffKey} = 50 milliseconds");
        var delivered = new ConcurrentBag<(long BatchId, int Rows)>();
        var query = await StartAsync(spark, failures: 2, delivered);

        await query.AwaitTerminationAsync();

        // Batch 0 failed twice, then ran once more with the same rows; batches 1 and 2 followed.
        Assert.Equal([(0L, 2), (1L, 2), (2L, 2)], delivered.OrderBy(d => d.BatchId));
        Assert.Equal([0L, 1, 2], query.RecentProgress.Select(p => p.BatchId));
    }

    [Fact]
    public async Task The_retry_policy_gives_up_after_its_retries_in_a_rowAsync()
    {
        KafkaRawFiles.Write(temp.Combine("in"), 0, 2);
        await using var spark = Session();
        spark.Sql($"SET {QueryRetryPolicy.MaxRetriesKey} = 2");
        spark.Sql($"SET {QueryRetryPolicy.InitialBackoffKey} = 10 milliseconds");
        var query = await StartAsync(spark, failures: 5, new ConcurrentBag<(long, int)>());

        var failure = await Assert.ThrowsAsync<StreamingQueryException>(() => query.AwaitTerminationAsync());
        Assert.Contains("storage busy (attempt 3)", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    public void A_bad_retry_setting_is_refused_naming_itself(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => QueryRetryPolicy.FromSettings(new Dictionary<string, string> { [QueryRetryPolicy.MaxRetriesKey] = value }));
        Assert.Contains(QueryRetryPolicy.MaxRetriesKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backoff_doubles_up_to_its_maximum()
    {
        var policy = new QueryRetryPolicy { MaxRetries = 10, InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(5) };
        Assert.Equal([1.0, 2, 4, 5, 5], Enumerable.Range(1, 5).Select(a => policy.Backoff(a).TotalSeconds));
    }

    private StreamingSession Session() => StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

    /// <summary>An AvailableNow query, one file per batch, whose foreachBatch fails the first <paramref name="failures"/> calls.</summary>
    private Task<StreamingQuery> StartAsync(StreamingSession spark, int failures, ConcurrentBag<(long BatchId, int Rows)> delivered)
    {
        var calls = 0;
        return spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", "1").Schema(KafkaRawFiles.Schema)
            .Load(temp.Combine("in"))
            .WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoint"))
            .ForeachBatch((_, rows, batchId, _) =>
            {
                var call = Interlocked.Increment(ref calls);
                if (call <= failures)
                {
                    throw new IOException($"storage busy (attempt {call})");
                }

                delivered.Add((batchId, rows.Sum(r => r.Length)));
                return Task.CompletedTask;
            })
            .Trigger(Trigger.AvailableNow)
            .StartAsync();
    }
}
