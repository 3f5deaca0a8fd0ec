using System.Net;
using System.Net.Sockets;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>The mistakes a newcomer makes first: each is one line on stderr, with the place at fault, and no stack trace.</summary>
public sealed class ErrorMessageTests : IDisposable
{
    private readonly TempDirectory folder = new("cli-errors");

    public void Dispose() => folder.Dispose();

    private CliProcess Cli => new(folder.Path);

    private static void AssertOneLine(CliResult result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var lines = result.Error.Trim().Split('\n');
        Assert.True(lines.Length == 1, result.ToString());
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_names_the_option_and_the_helpAsync()
    {
        var result = await Cli.RunAsync("sql", "SELECT 1", "--fromat", "json");

        AssertOneLine(result, 2, "'--fromat'");
        Assert.Contains("orleans-streams sql --help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_in_a_pipeline_file_gives_file_line_and_columnAsync()
    {
        File.WriteAllText(folder.Combine("bad.sql"), "CREATE OR REFRESH STREAMING TABLE t\nAS SELECT a,\n  FROM STREAM src;\n");

        var result = await Cli.RunAsync("run", "bad.sql");

        AssertOneLine(result, 1, "bad.sql:3:3: ");
    }

    [Fact]
    public async Task A_bad_schema_string_is_located_in_the_fileAsync()
    {
        File.WriteAllText(folder.Combine("schema.sql"), "CREATE OR REFRESH STREAMING TABLE t AS\nSELECT * FROM STREAM read_files('in', format => 'json',\n    schema => 'key BINARY, value BINARYY');\n");

        var result = await Cli.RunAsync("run", "schema.sql");

        AssertOneLine(result, 1, "schema.sql:3:");
        Assert.Contains("BINARYY", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_checkpoint_root_asks_for_a_checkpoint_locationAsync()
    {
        File.WriteAllText(folder.Combine("p.sql"), "CREATE OR REFRESH STREAMING TABLE t AS SELECT * FROM STREAM read_files('in', format => 'json', schema => 'a INT');\n");

        var result = await Cli.RunAsync("run", "p.sql", "--checkpoint-root", string.Empty);

        AssertOneLine(result, 1, "--checkpoint-root");
    }

    [Fact]
    public async Task A_warehouse_on_storage_that_is_not_running_says_to_start_AzuriteAsync()
    {
        var port = FreePort(); // nothing listens there
        var result = await Cli
            .With("AZURE_STORAGE_CONNECTION_STRING", $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName};")
            .RunAsync("tables", "--warehouse", $"abfss://warehouse@{AzuriteFixture.AccountName}.dfs.core.windows.net/demo");

        AssertOneLine(result, 1, "Is Azurite running?");
        Assert.Contains($"127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_traceAsync()
    {
        var quiet = await Cli.RunAsync("describe", "missing");
        var verbose = await Cli.RunAsync("describe", "missing", "--verbose");

        AssertOneLine(quiet, 1, "Table or view not found: missing (the warehouse warehouse has no tables)");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
