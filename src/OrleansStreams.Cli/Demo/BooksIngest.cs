using OrleansStreams.Bookstore;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Cli.Demo;

/// <summary>Auto Loader of the bookstore's books files into the <c>books</c> table that the author counts read.</summary>
internal static class BooksIngest
{
    public static Task<StreamingQuery> StartAsync(StreamingSession spark, string datasetBookstore, string checkpoints, Trigger trigger) =>
        spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Schema(BookstoreJson.BooksSchema)
            .Load($"{datasetBookstore}/{BookstoreFiles.Books}")
            .WriteStream()
            .Option("checkpointLocation", $"{checkpoints}/books")
            .Trigger(trigger)
            .ToTableAsync("books");
}
