namespace OrleansStreams.Engine.Aggregation;

/// <summary>The header of a state file (magic, format version, record count), shared by every kind of operator state.</summary>
internal static class StateFileHeader
{
    public static void Write(BinaryWriter writer, byte[] magic, int version, int records)
    {
        writer.Write(magic);
        writer.Write(version);
        writer.Write(records);
    }

    /// <summary>Checks the header and returns the record count.</summary>
    public static int Read(BinaryReader reader, byte[] magic, int version, string kind)
    {
        if (!reader.ReadBytes(magic.Length).AsSpan().SequenceEqual(magic) || reader.ReadInt32() != version)
        {
            throw new InvalidDataException($"not a{(kind[0] is 'a' ? "n" : string.Empty)} {kind} state file of this version (expected header {System.Text.Encoding.ASCII.GetString(magic)} v{version})");
        }

        return reader.ReadInt32();
    }
}
