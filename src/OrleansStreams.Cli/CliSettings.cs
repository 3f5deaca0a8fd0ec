using Microsoft.Extensions.Configuration;
using OrleansStreams.Client;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Cli;

/// <summary>
/// The command's configuration, layered as the Generic Host does: appsettings.json (beside the tool, then in the
/// current folder), appsettings.{DOTNET_ENVIRONMENT}.json, environment variables (<c>OrleansStreams__Warehouse</c>),
/// then the command line's options, which win.
/// </summary>
internal sealed class CliSettings(IConfiguration configuration)
{
    public const string WarehouseKey = Host.WarehouseSettings.WarehouseKey;
    public const string CheckpointRootKey = Host.WarehouseSettings.CheckpointRootKey;
    public const string DemoDataKey = "OrleansStreams:Demo:Data";
    public const string DemoFilesKey = "OrleansStreams:Demo:Files";
    public const string DemoSeedKey = "OrleansStreams:Demo:Seed";
    public const string DemoIntervalKey = "OrleansStreams:Demo:ProcessingTime";

    public IConfiguration Configuration { get; } = configuration;

    public string Warehouse => NonEmpty(WarehouseKey, "--warehouse") ?? Host.WarehouseSettings.DefaultWarehouse;

    /// <summary>Where tables checkpoint (<c>&lt;root&gt;/&lt;table&gt;</c>): by default <c>&lt;warehouse&gt;/_checkpoints</c>.</summary>
    public string CheckpointRoot => NonEmpty(CheckpointRootKey, "--checkpoint-root") ?? Host.WarehouseSettings.DefaultCheckpointRoot(Warehouse);

    public string DemoData => NonEmpty(DemoDataKey, "--data") ?? "bookstore";

    public int DemoFiles => Integer(DemoFilesKey, 3);

    public int DemoSeed => Integer(DemoSeedKey, 42);

    /// <summary>The demo's ProcessingTime interval: the seed's 4 seconds unless configured.</summary>
    public string DemoProcessingTime => Configuration[DemoIntervalKey] is { Length: > 0 } interval ? interval : "4 seconds";

    public static CliSettings Load(IEnumerable<KeyValuePair<string, string?>> commandLine)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        var builder = new ConfigurationBuilder();
        foreach (var folder in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() }.Distinct())
        {
            builder.AddJsonFile(Path.Combine(folder, "appsettings.json"), optional: true, reloadOnChange: false);
            if (environment is not null)
            {
                builder.AddJsonFile(Path.Combine(folder, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
            }
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(commandLine.Where(p => p.Value is not null));
        return new CliSettings(builder.Build());
    }

    /// <summary>An embedded session on the configured warehouse and storage accounts.</summary>
    public StreamingSession CreateSession() => StreamingSession.Embedded(new StreamingSessionOptions
    {
        Warehouse = Warehouse,
        Storage = StorageOptions.FromConfiguration(Configuration),
    });

    private string? NonEmpty(string key, string option) => Configuration[key] switch
    {
        null => null,
        { Length: 0 } => throw new ArgumentException($"{option} (or {key}) is empty: give a folder or a storage URI"),
        var value => value,
    };

    private int Integer(string key, int fallback) => Configuration[key] switch
    {
        null or "" => fallback,
        var text when int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
        var text => throw new ArgumentException($"configuration {key} must be a whole number, not '{text}'"),
    };
}
