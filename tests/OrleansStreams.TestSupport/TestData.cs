namespace OrleansStreams.TestSupport;

/// <summary>Test data committed with the repository (tests/TestData).</summary>
public static class TestData
{
    /// <summary>Delta tables written by Apache Spark (the golden tables), each with its expected.json.</summary>
    public static string DeltaTables => Path.Combine(RepoRoot.Find(), "tests", "TestData", "delta");

    /// <summary>A streaming checkpoint written before the stable key hash, with its input and table (see its README).</summary>
    public static string LegacyCheckpoint => Path.Combine(RepoRoot.Find(), "tests", "TestData", "legacy-checkpoint");
}
