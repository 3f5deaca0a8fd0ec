namespace OrleansStreams.Storage.Delta.DeletionVectors;

/// <summary>
/// The Z85 variant of Base85 (rfc.zeromq.org/spec/32) that Delta uses for DV UUIDs and inline DVs:
/// every 5 characters carry 4 bytes, big-endian.
/// </summary>
public static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private static readonly sbyte[] Values = BuildValues();

    /// <summary>Decodes <paramref name="text"/> (a multiple of 5 characters) into <c>text.Length / 5 * 4</c> bytes.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 5 != 0)
        {
            throw new FormatException($"Z85 text must be a multiple of 5 characters long, but has {text.Length}");
        }

        var output = new byte[text.Length / 5 * 4];
        for (int i = 0, o = 0; i < text.Length; i += 5, o += 4)
        {
            ulong value = 0;
            for (var k = 0; k < 5; k++)
            {
                var c = text[i + k];
                var digit = c < Values.Length ? Values[c] : -1;
                if (digit < 0)
                {
                    throw new FormatException($"'{c}' at position {i + k} is not a Z85 character");
                }

                value = (value * 85) + (ulong)digit;
            }

            if (value > uint.MaxValue)
            {
                throw new FormatException($"Z85 group at position {i} is out of range");
            }

            output[o] = (byte)(value >> 24);
            output[o + 1] = (byte)(value >> 16);
            output[o + 2] = (byte)(value >> 8);
            output[o + 3] = (byte)value;
        }

        return output;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
