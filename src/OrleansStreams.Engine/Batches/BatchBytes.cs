using Apache.Arrow;

namespace OrleansStreams.Engine.Batches;

/// <summary>How much memory Arrow data holds: the lengths of its buffers, children included (shared buffers counted once per use).</summary>
public static class BatchBytes
{
    public static long Of(RecordBatch batch)
    {
        long total = 0;
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            total += Of(batch.Column(c).Data);
        }

        return total;
    }

    public static long Of(ArrayData data)
    {
        long total = 0;
        foreach (var buffer in data.Buffers)
        {
            total += buffer.Length;
        }

        foreach (var child in data.Children ?? [])
        {
            total += Of(child);
        }

        return data.Dictionary is { } dictionary ? total + Of(dictionary) : total;
    }
}
