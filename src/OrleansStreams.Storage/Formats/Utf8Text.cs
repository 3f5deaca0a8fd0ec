using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace OrleansStreams.Storage.Formats;

/// <summary>Finding bytes that are not UTF-8 (a vectorized check first; the slow scan only for text that fails it).</summary>
internal static class Utf8Text
{
    /// <summary>The offset of the first byte that does not start a valid UTF-8 sequence, or -1 when all of it is valid.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> text)
    {
        if (Utf8.IsValid(text))
        {
            return -1;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }
}
