using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// Runs the README's main command once (the demo, in a fresh folder, with a 1-second ProcessingTime instead of the
/// seed's 4 so the suite stays quick) and keeps the warehouse it leaves for the commands that read tables.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private readonly TempDirectory folder = new("cli-demo");

    public CliProcess Cli => new CliProcess(folder.Path).With("OrleansStreams__Demo__ProcessingTime", "1 second");

    public CliResult Demo { get; private set; } = new(-1, string.Empty, string.Empty);

    public string Folder => folder.Path;

    public async Task InitializeAsync() => Demo = await Cli.RunAsync("demo");

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}
