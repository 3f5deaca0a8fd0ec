using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// How to reach storage accounts. A connection string is used for the account it names (this is
/// how Azurite's devstoreaccount1 is reached); any other account goes to its public endpoint with
/// DefaultAzureCredential.
/// </summary>
public sealed record StorageOptions
{
    public const string SectionName = "OrleansStreams:Storage";
    public const string ConnectionStringKey = SectionName + ":ConnectionString";
    public const string AccountConnectionStringsKey = SectionName + ":ConnectionStrings";
    public const string ConnectionStringEnvironmentVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>The default connection string; used only for locations in the account it names.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Connection strings by account name, for several accounts at once.</summary>
    public IReadOnlyDictionary<string, string> AccountConnectionStrings { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads <c>OrleansStreams:Storage:ConnectionString</c> and <c>OrleansStreams:Storage:ConnectionStrings:{account}</c>;
    /// without a configured default, falls back to the <c>AZURE_STORAGE_CONNECTION_STRING</c> environment variable.
    /// </summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        environment ??= Environment.GetEnvironmentVariable;
        var accounts = configuration.GetSection(AccountConnectionStringsKey).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.OrdinalIgnoreCase);
        var connectionString = NullIfBlank(configuration[ConnectionStringKey]) ?? NullIfBlank(environment(ConnectionStringEnvironmentVariable));
        return new StorageOptions { ConnectionString = connectionString, AccountConnectionStrings = accounts };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
