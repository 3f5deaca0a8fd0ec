using System.Text.RegularExpressions;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// The README's examples are the project's own files: the C# block is the demo's seed pipelines (compiled with the
/// CLI), the SQL block is examples/bookstore-pipeline.sql (run by <see cref="RunCommandTests"/>), and the main
/// command is the one <see cref="DemoFixture"/> runs.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string Root = RepoRoot.Find();

    private static string Readme => File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");

    private static string Block(string language)
    {
        var blocks = CodeBlock().Matches(Readme).Where(m => m.Groups[1].Value == language).ToList();
        Assert.True(blocks.Count == 1, $"README.md should hold exactly one ```{language} block, not {blocks.Count}");
        return blocks[0].Groups[2].Value;
    }

    [Fact]
    public void The_csharp_example_is_the_demos_seed_pipelines()
    {
        var source = File.ReadAllText(Path.Combine(Root, "src", "OrleansStreams.Cli", "Demo", "SeedPipelines.cs")).ReplaceLineEndings("\n");
        var region = source[(source.IndexOf("// seed:begin\n", StringComparison.Ordinal) + "// seed:begin\n".Length)..source.IndexOf("    // seed:end", StringComparison.Ordinal)];
        var dedented = string.Join("\n", region.TrimEnd().Split('\n').Select(l => l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : l.TrimStart()));

        Assert.Equal(dedented.Trim(), Block("csharp").Trim());
    }

    [Fact]
    public void The_sql_example_is_the_pipeline_file_the_tests_run()
    {
        var file = File.ReadAllText(Path.Combine(Root, "examples", "bookstore-pipeline.sql")).ReplaceLineEndings("\n");

        Assert.Equal(file.Trim(), Block("sql").Trim());
    }

    [Fact]
    public void The_main_command_is_the_demo()
    {
        Assert.Contains("dotnet run --project src/OrleansStreams.Cli -- demo\n", Readme, StringComparison.Ordinal);
        var ciCommand = File.ReadAllLines(Path.Combine(Root, ".ci", "run")).Single(l => l.StartsWith("exec dotnet test ", StringComparison.Ordinal))["exec ".Length..];
        Assert.Contains($"{ciCommand}\n", Readme, StringComparison.Ordinal); // .ci/run runs the README's test command
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
