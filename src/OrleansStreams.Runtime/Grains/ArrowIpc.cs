using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace OrleansStreams.Runtime.Grains;

/// <summary>Batches between grains as Arrow IPC streams: whole columns in one message, never rows.</summary>
public static class ArrowIpc
{
    public static byte[] Write(IReadOnlyList<RecordBatch> batches, Schema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new ArrowStreamWriter(buffer, schema, leaveOpen: true))
        {
            foreach (var batch in batches)
            {
                writer.WriteRecordBatch(batch);
            }

            writer.WriteEnd();
        }

        return buffer.ToArray();
    }

    public static List<RecordBatch> Read(byte[] bytes)
    {
        using var reader = new ArrowStreamReader(new MemoryStream(bytes));
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            batches.Add(batch);
        }

        return batches;
    }
}
