namespace OrleansStreams.Bench;

/// <summary>
/// The command line: <c>[--small] [--json FILE] [--only PART,…] [--backlog-files N]</c>; <c>--child NAME --work DIR</c>
/// is how the bench runs one measurement in a process of its own (so each gets its own peak memory).
/// </summary>
internal sealed record BenchOptions(bool Small, string? JsonPath, IReadOnlySet<string>? Only, string? Child, string? WorkFolder, string? ResultPath, int? BacklogFilesOption)
{
    public static readonly string[] Parts = ["engine", "ingest", "aggregate", "latency", "discovery", "notifications", "backlog", "parquet"];

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            if (i < 0)
            {
                return null;
            }

            return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
        }

        var only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (only?.FirstOrDefault(p => !Parts.Contains(p, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw new ArgumentException($"--only: unknown part '{unknown}'; the parts are {string.Join(", ", Parts)}");
        }

        var backlogFiles = Value("--backlog-files") is { } files ? int.Parse(files, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        if (backlogFiles < 1)
        {
            throw new ArgumentException("--backlog-files needs at least 1 file");
        }

        return new BenchOptions(args.Contains("--small"), Value("--json"), only, Value("--child"), Value("--work"), Value("--result"), backlogFiles);
    }

    /// <summary>How many 50,000-line files the backlog case ingests: <c>--backlog-files</c>, else 300 (2.77 GB), or a few with <c>--small</c>.</summary>
    public int BacklogFiles => BacklogFilesOption ?? (Small ? BacklogBench.SmallFiles : BacklogBench.DefaultFiles);

    public bool Runs(string part) => Only is null || Only.Contains(part);
}
