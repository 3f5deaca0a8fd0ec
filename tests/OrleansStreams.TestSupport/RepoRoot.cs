namespace OrleansStreams.TestSupport;

/// <summary>Finds the repository root: the nearest folder above the test binaries holding OrleansStreams.sln.</summary>
public static class RepoRoot
{
    public const string SolutionFile = "OrleansStreams.sln";

    public static string Find() => Find(AppContext.BaseDirectory);

    public static string Find(string startDirectory)
    {
        for (var folder = new DirectoryInfo(startDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no {SolutionFile} found in {startDirectory} or any folder above it");
    }
}
