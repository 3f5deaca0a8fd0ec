using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// Counts and sums per 10-minute event-time window and key k, with a 40-minute watermark, in append mode into a
/// Delta table: each (window, k) is written once, when the watermark passes the window's end. The key k puts the
/// groups on the aggregation partition grains (a window alone would all go to one partition). In SQL, to name the
/// window column: the SDK's GroupBy(Window(...)) names it <c>window(ts, '10 minutes')</c> where Spark says <c>window</c>.
/// </summary>
internal sealed class WindowedCounts : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths)
    {
        Events.Read(spark, paths).WithWatermark("ts", "40 minutes").CreateOrReplaceTempView("events_stream");
        return spark.Sql("""
                SELECT window(ts, '10 minutes') AS window, k, count(*) AS n, sum(v) AS total
                FROM events_stream GROUP BY window(ts, '10 minutes'), k
                """)!
            .WriteStream()
            .OutputMode("append")
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
    }
}
