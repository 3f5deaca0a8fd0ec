namespace OrleansStreams.TestSupport;

/// <summary>Test data committed with the repository (tests/TestData).</summary>
public static class TestData
{
    /// <summary>Delta tables written by Apache Spark (the golden tables), each with its expected.json.</summary>
    public static string DeltaTables => Path.Combine(RepoRoot.Find(), "tests", "TestData", "delta");

    /// <summary>A streaming checkpoint written before the stable key hash, with its input and table (see its README).</summary>
    public static string LegacyCheckpoint => Path.Combine(RepoRoot.Find(), "tests", "TestData", "legacy-checkpoint");

    /// <summary>
    /// Copies golden table <paramref name="name"/> to <paramref name="target"/> as it was at <paramref name="throughVersion"/>
    /// (all of it when null): later commits, checkpoints and the checkpoint hint are left out, so a test can commit them later.
    /// </summary>
    public static void CopyDeltaTable(string name, string target, long? throughVersion = null)
    {
        var source = Path.Combine(DeltaTables, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var fileName = Path.GetFileName(file);
            var inLog = relative.StartsWith("_delta_log", StringComparison.Ordinal);
            if (throughVersion is { } last && inLog
                && (fileName == "_last_checkpoint" || (fileName.Length >= 20 && long.TryParse(fileName[..20], out var version) && version > last)))
            {
                continue;
            }

            var to = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    /// <summary>Copies commit <paramref name="version"/> of golden table <paramref name="name"/> into the table at <paramref name="target"/>.</summary>
    public static void CopyDeltaCommit(string name, string target, long version)
    {
        var file = Path.Combine("_delta_log", $"{version:D20}.json");
        File.Copy(Path.Combine(DeltaTables, name, file), Path.Combine(target, file));
    }
}
