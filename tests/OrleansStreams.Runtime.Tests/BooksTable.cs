using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The seed's <c>books</c> table, filled with numbered books by four authors (author of book i: (i × i) mod 4).</summary>
internal static class BooksTable
{
    private static readonly StructType Books = DdlParser.ParseSchema("book_id STRING, title STRING, author STRING, category STRING, price DOUBLE");
    private static readonly string[] Authors = ["Tracy Kidder", "Frank Herbert", "Octavia Butler", "Ursula K. Le Guin"];

    /// <summary>Appends books <paramref name="from"/> … <paramref name="from"/> + <paramref name="count"/> − 1 in one commit (the table is registered first when missing).</summary>
    public static async Task AddAsync(StreamingSession spark, int from, int count)
    {
        var entry = await spark.Catalog.ResolveOrCreateAsync("books");
        var table = new DeltaTable(spark.Catalog.OpenStore(entry));
        var rows = Enumerable.Range(from, count).Select(i => new object?[] { $"B{i:D3}", $"Book {i}", Authors[(i * i) % 4], "Fiction", 10.0 + i }).ToList();
        await table.WriteAsync(Books, [RecordBatches.Of(Books, rows)]);
    }
}
