using System.CommandLine;
using System.Globalization;
using OrleansStreams.Client;
using OrleansStreams.Host.StreamsUi;

namespace OrleansStreams.Cli;

/// <summary>
/// <c>--ui [PORT]</c> of the embedded commands (<c>run</c>, <c>demo</c>): the streams UI of the host, served on
/// 127.0.0.1 while the command runs, like a local Spark session's UI on port 4040.
/// </summary>
internal static class StreamsUiOption
{
    public static Option<int?> Create() => new("--ui")
    {
        Description = $"Serve the streams UI (charts of every query's batches) on http://127.0.0.1:PORT/streams while this runs (default port {StreamsUiServer.DefaultPort}; 0 picks a free one)",
        HelpName = "PORT",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return StreamsUiServer.DefaultPort;
            }

            if (int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                return port;
            }

            result.AddError($"--ui takes a port number (0 to 65535), not '{result.Tokens[0].Value}'");
            return null;
        },
    };

    /// <summary>Starts the UI over <paramref name="session"/>'s queries when a port was asked for, and says where it is.</summary>
    public static async Task<StreamsUiServer?> StartAsync(int? port, StreamingSession session, CliConsole console, CancellationToken cancellationToken)
    {
        if (port is not { } wanted)
        {
            return null;
        }

        var server = await StreamsUiServer.StartAsync(new StreamsUiSource(session.ListClusterQueryStatesAsync), wanted, cancellationToken);
        console.Output.WriteLine($"Streams UI: {server.Url} (while this command runs)");
        console.Output.Flush();
        return server;
    }
}
