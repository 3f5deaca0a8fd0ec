using System.Text;
using System.Text.Json;

namespace OrleansStreams.Bookstore;

/// <summary>The JSON form of each record, as its file line and as the value of its Kafka message.</summary>
public static class BookstoreJson
{
    public const string BooksSchema = "book_id STRING, title STRING, author STRING, category STRING, price DOUBLE";
    public const string CustomersSchema = "customer_id STRING, email STRING, first_name STRING, last_name STRING, country STRING, updated LONG";
    public const string OrdersSchema = "order_id STRING, order_timestamp LONG, customer_id STRING, quantity INT, total DOUBLE, books ARRAY<STRUCT<book_id: STRING, quantity: INT, subtotal: DOUBLE>>";

    public static void Write(Utf8JsonWriter json, Book book)
    {
        json.WriteStartObject();
        json.WriteString("book_id", book.BookId);
        json.WriteString("title", book.Title);
        json.WriteString("author", book.Author);
        json.WriteString("category", book.Category);
        json.WriteNumber("price", book.Price);
        json.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter json, Customer customer)
    {
        json.WriteStartObject();
        json.WriteString("customer_id", customer.CustomerId);
        json.WriteString("email", customer.Email);
        json.WriteString("first_name", customer.FirstName);
        json.WriteString("last_name", customer.LastName);
        json.WriteString("country", customer.Country);
        json.WriteNumber("updated", customer.UpdatedMs);
        json.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter json, Order order)
    {
        json.WriteStartObject();
        json.WriteString("order_id", order.OrderId);
        json.WriteNumber("order_timestamp", order.OrderTimestamp);
        json.WriteString("customer_id", order.CustomerId);
        json.WriteNumber("quantity", order.Quantity);
        json.WriteNumber("total", order.Total);
        json.WriteStartArray("books");
        foreach (var line in order.Books)
        {
            json.WriteStartObject();
            json.WriteString("book_id", line.BookId);
            json.WriteNumber("quantity", line.Quantity);
            json.WriteNumber("subtotal", line.Subtotal);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One record's JSON as UTF-8 bytes (a Kafka message value).</summary>
    public static byte[] Bytes<T>(T record, Action<Utf8JsonWriter, T> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json, record);
        }

        return buffer.ToArray();
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
