using System.Globalization;

namespace OrleansStreams.Bookstore;

/// <summary>
/// Lays drops out as the seed reads them: <c>kafka-raw/NNN.json</c> (one Kafka message per record, topics books,
/// customers and orders) and <c>books/</c>, <c>customers/</c>, <c>orders/</c> JSON-lines files, one file per drop in each.
/// </summary>
public static class BookstoreFiles
{
    public const string KafkaRaw = "kafka-raw";
    public const string Books = "books";
    public const string Customers = "customers";
    public const string Orders = "orders";

    /// <summary>Kafka partitions per topic: records alternate between them.</summary>
    public const int Partitions = 2;

    /// <summary>Writes drop <paramref name="drop"/> under <paramref name="root"/>; the kafka-raw file is written last.</summary>
    public static IReadOnlyList<string> Write(string root, BookstoreDrop drop, BookstoreOptions options)
    {
        var name = drop.Index.ToString("D3", CultureInfo.InvariantCulture);
        return
        [
            JsonLinesFile.Write(Path.Combine(root, Books, $"books-{name}.json"), drop.Books, BookstoreJson.Write),
            JsonLinesFile.Write(Path.Combine(root, Customers, $"customers-{name}.json"), drop.Customers, BookstoreJson.Write),
            JsonLinesFile.Write(Path.Combine(root, Orders, $"orders-{name}.json"), drop.Orders, BookstoreJson.Write),
            KafkaRawJson.Write(Path.Combine(root, KafkaRaw, $"{name}.json"), Messages(drop, options)),
        ];
    }

    /// <summary>The drop after the last one found under <paramref name="root"/> (0 when there is none).</summary>
    public static int NextDrop(string root)
    {
        var folder = Path.Combine(root, KafkaRaw);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        return Directory.EnumerateFiles(folder, "*.json")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n + 1 : 0)
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>
    /// The drop's Kafka messages, topic by topic. A record's number within its topic (across drops) gives its
    /// partition (number mod <see cref="Partitions"/>) and offset (number div <see cref="Partitions"/>).
    /// </summary>
    public static IEnumerable<KafkaRecord> Messages(BookstoreDrop drop, BookstoreOptions options)
    {
        var windowStart = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(18 * drop.Index).ToUnixTimeMilliseconds();
        for (var i = 0; i < drop.Books.Count; i++)
        {
            var book = drop.Books[i];
            yield return Message("books", book.BookId, BookstoreJson.Bytes(book, BookstoreJson.Write), (drop.Index * options.BooksPerDrop) + i, windowStart + (i * 1000L));
        }

        for (var i = 0; i < drop.Customers.Count; i++)
        {
            var customer = drop.Customers[i];
            yield return Message("customers", customer.CustomerId, BookstoreJson.Bytes(customer, BookstoreJson.Write), (drop.Index * options.CustomersPerDrop) + i, customer.UpdatedMs);
        }

        for (var i = 0; i < drop.Orders.Count; i++)
        {
            var order = drop.Orders[i];
            yield return Message("orders", order.OrderId, BookstoreJson.Bytes(order, BookstoreJson.Write), (drop.Index * options.OrdersPerDrop) + i, (order.OrderTimestamp * 1000) + (i % 1000));
        }
    }

    private static KafkaRecord Message(string topic, string key, byte[] value, long number, long timestampMs) =>
        new(BookstoreJson.Utf8(key), value, topic, number % Partitions, number / Partitions, timestampMs);
}
