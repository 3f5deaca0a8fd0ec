namespace OrleansStreams.Storage.Formats;

/// <summary>A file's bytes as one block: the stream's own buffer when it exposes one (no copy of a large file), else a copy.</summary>
internal static class FileContent
{
    public static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        if (input is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            return buffer.AsMemory((int)memory.Position);
        }

        var copy = new MemoryStream();
        await input.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    /// <summary>The 1-based line of a byte offset.</summary>
    public static long LineOf(ReadOnlySpan<byte> content, int offset) => content[..offset].Count((byte)'\n') + 1;
}
