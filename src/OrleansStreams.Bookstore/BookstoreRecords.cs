namespace OrleansStreams.Bookstore;

/// <summary>A book of the catalog (the <c>books</c> topic and files).</summary>
public sealed record Book(string BookId, string Title, string Author, string Category, double Price);

/// <summary>A customer (the <c>customers</c> topic and files); <see cref="UpdatedMs"/> is when the record was last changed.</summary>
public sealed record Customer(string CustomerId, string Email, string FirstName, string LastName, string Country, long UpdatedMs);

/// <summary>One book of an order.</summary>
public sealed record OrderLine(string BookId, int Quantity, double Subtotal);

/// <summary>An order (the <c>orders</c> topic and files); <see cref="OrderTimestamp"/> is in seconds since the epoch.</summary>
public sealed record Order(string OrderId, long OrderTimestamp, string CustomerId, int Quantity, double Total, IReadOnlyList<OrderLine> Books);

/// <summary>A Kafka message as the kafka-raw files hold it: key and value bytes, topic, partition, offset, timestamp in ms.</summary>
public sealed record KafkaRecord(byte[] Key, byte[] Value, string Topic, long Partition, long Offset, long TimestampMs);
