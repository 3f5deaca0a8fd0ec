using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using OrleansStreams.Emulators;
using OrleansStreams.Runtime.Notifications;

// orleans-streams-eventgrid-emulator --queue NAME [--container NAME]... [--connection-string CS]
//   [--schema eventgrid|cloudevents] [--plain] [--interval-ms N] [--publish-existing]
// The connection string defaults to AZURE_STORAGE_CONNECTION_STRING. Stops on Ctrl+C or SIGTERM.
try
{
    var options = Parse(args);
    using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug));
    using var stop = new CancellationTokenSource();
    void Stop(PosixSignalContext signal)
    {
        signal.Cancel = true; // stop polling and exit normally, on Ctrl+C or a script's kill
        stop.Cancel();
    }

    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await EventGridEmulator.RunAsync(options, stop.Token, loggers.CreateLogger("EventGridEmulator"));
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"orleans-streams-eventgrid-emulator: {e.Message}");
    Console.Error.WriteLine("usage: orleans-streams-eventgrid-emulator --queue NAME [--container NAME]... [--connection-string CS] [--schema eventgrid|cloudevents] [--plain] [--interval-ms N] [--publish-existing]");
    return 2;
}

static EventGridEmulatorOptions Parse(string[] args)
{
    string? queue = null;
    var connectionString = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
    var containers = new List<string>();
    var schema = EventSchema.EventGrid;
    var base64 = true;
    var publishExisting = false;
    var interval = TimeSpan.FromMilliseconds(500);
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--queue":
                queue = Value();
                break;
            case "--container":
                containers.Add(Value());
                break;
            case "--connection-string":
                connectionString = Value();
                break;
            case "--schema":
                var name = Value();
                schema = name.ToLowerInvariant() switch
                {
                    "eventgrid" => EventSchema.EventGrid,
                    "cloudevents" => EventSchema.CloudEvents,
                    _ => throw new ArgumentException($"--schema must be eventgrid or cloudevents, not '{name}'"),
                };
                break;
            case "--plain":
                base64 = false;
                break;
            case "--publish-existing":
                publishExisting = true;
                break;
            case "--interval-ms":
                var text = Value();
                interval = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
                    ? TimeSpan.FromMilliseconds(ms)
                    : throw new ArgumentException($"--interval-ms must be a positive number of milliseconds, not '{text}'");
                break;
            default:
                throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }

    return new EventGridEmulatorOptions
    {
        QueueName = queue ?? throw new ArgumentException("--queue is required"),
        ConnectionString = connectionString ?? throw new ArgumentException("--connection-string or AZURE_STORAGE_CONNECTION_STRING is required"),
        Containers = containers,
        Schema = schema,
        Base64 = base64,
        PublishExisting = publishExisting,
        PollInterval = interval,
    };
}
