using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Cli.Demo;

/// <summary>
/// The seed's two pipelines in C#, line for line (README.md quotes the part between the markers; a test
/// checks the two stay identical): the bronze ingest of kafka-raw files and the author counts over books.
/// </summary>
public static class SeedPipelines
{
    // seed:begin
    public static async Task ProcessBronzeAsync(StreamingSession spark, string datasetBookstore, string checkpoints)
    {
        var schema = "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG";

        var query = await spark.ReadStream
                .Format("cloudFiles")
                .Option("cloudFiles.format", "json")
                .Schema(schema)
                .Load($"{datasetBookstore}/kafka-raw")
                .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
                .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream()
                .Option("checkpointLocation", $"{checkpoints}/bronze")
                .Option("mergeSchema", true)
                .PartitionBy("topic", "year_month")
                .Trigger(Trigger.AvailableNow)
                .ToTableAsync("bronze");

        await query.AwaitTerminationAsync();
    }

    public static Task<StreamingQuery> AuthorCountsAsync(StreamingSession spark, Trigger trigger, string checkpoints)
    {
        spark.ReadStream
            .Table("books")
            .CreateOrReplaceTempView("books_streaming_tmp_vw");

        spark.Sql("""
            CREATE OR REPLACE TEMP VIEW author_counts_tmp_vw AS
            SELECT author, count(book_id) AS total_books
            FROM books_streaming_tmp_vw
            GROUP BY author
            """);

        return spark.Table("author_counts_tmp_vw")
            .WriteStream()
            .Trigger(trigger) // Trigger.ProcessingTime("4 seconds") or Trigger.AvailableNow
            .OutputMode("complete")
            .Option("checkpointLocation", $"{checkpoints}/author_counts")
            .ToTableAsync("author_counts");
    }

    // seed:end
}
