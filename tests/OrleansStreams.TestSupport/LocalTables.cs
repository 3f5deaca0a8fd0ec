namespace OrleansStreams.TestSupport;

/// <summary>Facts about a Delta table in a local folder that tests wait on.</summary>
public static class LocalTables
{
    /// <summary>
    /// Whether the table's first commit has landed. Not whether <c>_delta_log</c> exists: the folder appears a moment
    /// before the commit file does, and a reader that looks in between finds no table.
    /// </summary>
    public static bool HasFirstCommit(string tableFolder) => File.Exists(Path.Combine(tableFolder, "_delta_log", "00000000000000000000.json"));
}
