namespace OrleansStreams.TestSupport;

/// <summary>Test data committed with the repository (tests/TestData).</summary>
public static class TestData
{
    /// <summary>Delta tables written by Apache Spark (the golden tables), each with its expected.json.</summary>
    public static string DeltaTables => Path.Combine(RepoRoot.Find(), "tests", "TestData", "delta");
}
