using System.CommandLine;

namespace OrleansStreams.Cli;

/// <summary>Options every command takes, and the way a command's options become configuration overrides.</summary>
internal sealed class CliOptions
{
    public Option<string?> Warehouse { get; } = new("--warehouse") { Description = "The warehouse: a folder or a Blob URI (abfss://container@account.dfs.core.windows.net/dir). Default: ./warehouse", HelpName = "DIR", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show the full error with its stack trace", Recursive = true };

    /// <summary>The settings of this invocation: configuration with the given options on top.</summary>
    public CliSettings Settings(ParseResult result, params (string Key, string? Value)[] options) =>
        CliSettings.Load([KeyValuePair.Create(CliSettings.WarehouseKey, result.GetValue(Warehouse)), .. options.Select(o => KeyValuePair.Create(o.Key, o.Value))]);
}
