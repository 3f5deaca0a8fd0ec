using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace OrleansStreams.Runtime.Grains;

/// <summary>Batches as Arrow IPC streams: whole columns in one message, never rows.</summary>
public static class ArrowIpc
{
    /// <summary>Room for each message's metadata and padding beyond its buffers, so the stream is written without regrowing.</summary>
    private const int MessageOverhead = 1024;

    public static byte[] Write(IReadOnlyList<RecordBatch> batches, Schema schema)
    {
        using var buffer = new MemoryStream(checked((int)Math.Min(System.Array.MaxLength, EstimatedSize(batches, schema))));
        using (var writer = new ArrowStreamWriter(buffer, schema, leaveOpen: true))
        {
            // The schema first, even for no batches (the writer otherwise writes it with the first batch): readers need it.
            writer.WriteStartAsync().GetAwaiter().GetResult(); // a MemoryStream completes synchronously
            foreach (var batch in batches)
            {
                writer.WriteRecordBatch(batch);
            }

            writer.WriteEnd();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a stream's batches; their columns point into <paramref name="bytes"/>, not copies of it.</summary>
    public static (Schema Schema, List<RecordBatch> Batches) Read(byte[] bytes)
    {
        using var reader = new ArrowStreamReader(new ReadOnlyMemory<byte>(bytes));
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            batches.Add(batch);
        }

        return (reader.Schema, batches);
    }

    private static long EstimatedSize(IReadOnlyList<RecordBatch> batches, Schema schema)
    {
        long size = MessageOverhead * (2 + (long)schema.FieldsList.Count);
        foreach (var batch in batches)
        {
            size += MessageOverhead;
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                size += BufferBytes(batch.Column(c).Data);
            }
        }

        return size;
    }

    private static long BufferBytes(ArrayData data)
    {
        long size = 64; // a column's buffers are each padded to 8 bytes
        foreach (var buffer in data.Buffers)
        {
            size += buffer.Length + 8;
        }

        foreach (var child in data.Children ?? [])
        {
            size += BufferBytes(child);
        }

        return size + (data.Dictionary is { } dictionary ? BufferBytes(dictionary) : 0);
    }
}
