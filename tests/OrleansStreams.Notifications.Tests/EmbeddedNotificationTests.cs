using OrleansStreams.Runtime.Notifications;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>
/// A notification-mode pipeline runs with <c>orleans-streams run</c> on the CLI's embedded silo, against Azurite, as it
/// would on the cluster: files announced by BlobCreated events on the queue land in the table once each.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EmbeddedNotificationTests(AzuriteFixture azurite) : IDisposable
{
    private const int Files = 10;
    private const int RowsPerFile = 5;

    private readonly TempDirectory temp = new("embedded-notifications");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task The_cli_runs_a_notification_pipeline_without_a_clusterAsync()
    {
        var zone = new LandingZone(azurite, "embedded");
        var pipeline = temp.Combine("pipeline.sql");
        File.WriteAllText(pipeline, $"""
            CREATE OR REFRESH STREAMING TABLE landed
            AS SELECT id, file FROM STREAM read_files('{zone.SourcePath}', format => 'json', schema => '{LandingZone.Schema}',
                                                      useNotifications => true, queueName => '{zone.Queue.Name}');
            """);
        var cli = new CliProcess(temp.Path).With("AZURE_STORAGE_CONNECTION_STRING", azurite.ConnectionString);
        using var run = cli.Start("run", pipeline, "--trigger", "processing-time=1s", "--warehouse", temp.Combine("warehouse"));

        // The first half may be found by the listing at the start; once it has landed, the query runs and has listed,
        // so the second half can reach it only through its events.
        var table = temp.Combine("warehouse", "landed");
        for (var half = 0; half < 2; half++)
        {
            for (var i = half * Files / 2; i < (half + 1) * Files / 2; i++)
            {
                await zone.SendAsync(await zone.UploadAsync(i, RowsPerFile), i % 2 == 0 ? EventSchema.EventGrid : EventSchema.CloudEvents, base64: i % 3 == 0);
            }

            var expected = (half + 1) * Files / 2 * RowsPerFile;
            await Eventually.TrueAsync(() => !run.HasExited && Ids(table).Count >= expected, $"{expected} rows in the table: {CliProcess.OutputSoFar(run)}", seconds: 90);
        }

        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "the queue to be empty: every message deleted once its file was logged");
        CliProcess.Interrupt(run);
        var result = await CliProcess.WaitAsync(run, CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Enumerable.Range(0, Files * RowsPerFile), Ids(table).Order());
    }

    /// <summary>The table's ids by DuckDB's reading of it; none before its first commit.</summary>
    private static List<int> Ids(string table) =>
        Directory.Exists(Path.Combine(table, "_delta_log")) && Directory.GetFiles(Path.Combine(table, "_delta_log"), "*.json").Length > 1
            ? DuckDbDelta.ReadRows(table).Select(r => r!["id"]!.GetValue<int>()).ToList()
            : [];
}
