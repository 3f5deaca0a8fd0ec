using System.Text.Json;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Delta;

/// <summary>A table registered in the catalog. <see cref="Location"/> is relative to the warehouse unless absolute.</summary>
public sealed record CatalogTable(string Database, string Name, string Location, DateTimeOffset CreatedTime)
{
    /// <summary><c>db.table</c>.</summary>
    public string QualifiedName => $"{Database}.{Name}";
}

/// <summary>What <see cref="DeltaCatalog.DescribeAsync"/> reports about a table, read from its log.</summary>
public sealed record TableDescription(CatalogTable Table, long Version, MetadataAction Metadata, int FileCount, long SizeInBytes);

/// <summary>
/// Table names → Delta table folders inside a warehouse, with Spark's layout: <c>&lt;warehouse&gt;/&lt;table&gt;</c>
/// for the <c>default</c> database and <c>&lt;warehouse&gt;/&lt;db&gt;.db/&lt;table&gt;</c> otherwise. Each entry is a
/// small JSON object <c>_catalog/&lt;db&gt;/&lt;table&gt;.json</c>, so every process sharing the warehouse sees the
/// same tables. Names are case-insensitive (stored lower-case) and may only hold letters, digits and underscores.
/// </summary>
public sealed class DeltaCatalog
{
    public const string DefaultDatabase = "default";
    private const string CatalogFolder = "_catalog/";

    private readonly IObjectStore warehouse;
    private readonly Func<string, IObjectStore>? openAbsolute;

    /// <param name="openAbsolute">Opens a store at an absolute table location; without it only warehouse-relative locations work.</param>
    public DeltaCatalog(IObjectStore warehouseRoot, Func<string, IObjectStore>? openAbsolute = null)
    {
        warehouse = warehouseRoot;
        this.openAbsolute = openAbsolute;
    }

    /// <summary>
    /// Registers <paramref name="name"/> (<c>table</c> or <c>db.table</c>) at <paramref name="location"/>,
    /// by default the Spark warehouse folder. Raises <see cref="DeltaTableExistsException"/> when the name is taken.
    /// </summary>
    public async Task<CatalogTable> CreateAsync(string name, string? location = null, CancellationToken cancellationToken = default)
    {
        var (database, table) = ParseName(name);
        var entry = new CatalogTable(database, table, location ?? DefaultLocation(database, table), DateTimeOffset.UtcNow);
        if (entry.Location.Length == 0 || (!IsAbsolute(entry.Location) && entry.Location.Split('/').Any(s => s is "" or "." or "..")))
        {
            throw new ArgumentException($"table location '{entry.Location}' must be a folder inside the warehouse or an absolute location", nameof(location));
        }

        // The registration's own id makes its bytes unique, so a retry that meets the entry its lost response left is
        // recognised as ours and not taken for another registration of the name.
        if (await warehouse.PutIfAbsentOrSameAsync(EntryKey(database, table), Serialize(entry, Guid.NewGuid()), cancellationToken) is null)
        {
            throw new DeltaTableExistsException($"Table {entry.QualifiedName} already exists in the catalog at {warehouse.Root}");
        }

        return entry;
    }

    /// <summary>The registered table, registered at the default location first when missing (a streaming sink's ToTable); a concurrent registration wins.</summary>
    public async Task<CatalogTable> ResolveOrCreateAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ResolveAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (TableNotFoundException)
        {
            try
            {
                return await CreateAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (DeltaTableExistsException)
            {
                return await ResolveAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The registered table, or <see cref="TableNotFoundException"/> ("Table or view not found: x").</summary>
    public async Task<CatalogTable> ResolveAsync(string name, CancellationToken cancellationToken = default)
    {
        var (database, table) = ParseName(name);
        try
        {
            return Deserialize(await warehouse.ReadAllAsync(EntryKey(database, table), cancellationToken), EntryKey(database, table));
        }
        catch (ObjectNotFoundException)
        {
            throw new TableNotFoundException(name);
        }
    }

    /// <summary>The Delta log of a registered table.</summary>
    public async Task<DeltaLog> OpenAsync(string name, DeltaLogOptions? options = null, CancellationToken cancellationToken = default) =>
        new(OpenStore(await ResolveAsync(name, cancellationToken)), options);

    /// <summary>A store rooted at the table's folder.</summary>
    public IObjectStore OpenStore(CatalogTable table)
    {
        if (!IsAbsolute(table.Location))
        {
            return new ScopedObjectStore(warehouse, table.Location);
        }

        return openAbsolute?.Invoke(table.Location)
            ?? throw new InvalidOperationException($"table {table.QualifiedName} lives at absolute location {table.Location} but the catalog cannot open absolute locations");
    }

    /// <summary>The tables of <paramref name="database"/> (all databases when null), ordered by qualified name.</summary>
    public async Task<IReadOnlyList<CatalogTable>> ListAsync(string? database = null, CancellationToken cancellationToken = default)
    {
        var prefix = CatalogFolder + (database is null ? string.Empty : ValidateIdentifier(database, "database") + "/");
        var tables = new List<CatalogTable>();
        await foreach (var page in warehouse.ListAsync(prefix, ListOptions.Recursive, cancellationToken))
        {
            foreach (var item in page.Objects.Where(o => o.Key.EndsWith(".json", StringComparison.Ordinal)))
            {
                try
                {
                    tables.Add(Deserialize(await warehouse.ReadAllAsync(item.Key, cancellationToken), item.Key));
                }
                catch (ObjectNotFoundException)
                {
                    // Dropped between the listing and the read.
                }
            }
        }

        return [.. tables.OrderBy(t => t.QualifiedName, StringComparer.Ordinal)];
    }

    /// <summary>Unregisters the table; with <paramref name="deleteData"/> also deletes its folder. False when it was not registered.</summary>
    public async Task<bool> DropAsync(string name, bool deleteData, CancellationToken cancellationToken = default)
    {
        CatalogTable table;
        try
        {
            table = await ResolveAsync(name, cancellationToken);
        }
        catch (TableNotFoundException)
        {
            return false;
        }

        if (deleteData)
        {
            var store = OpenStore(table);
            var keys = new List<string>();
            await foreach (var page in store.ListAsync(string.Empty, ListOptions.Recursive, cancellationToken))
            {
                keys.AddRange(page.Objects.Select(o => o.Key));
            }

            foreach (var key in keys)
            {
                await store.DeleteAsync(key, cancellationToken);
            }
        }

        return await warehouse.DeleteAsync(EntryKey(table.Database, table.Name), cancellationToken);
    }

    /// <summary>The table's registration and its current state from the Delta log.</summary>
    public async Task<TableDescription> DescribeAsync(string name, CancellationToken cancellationToken = default)
    {
        var table = await ResolveAsync(name, cancellationToken);
        var snapshot = await new DeltaLog(OpenStore(table)).GetSnapshotAsync(cancellationToken: cancellationToken);
        return new TableDescription(table, snapshot.Version, snapshot.Metadata, snapshot.ActiveFiles.Count, snapshot.ActiveFiles.Sum(f => f.Size));
    }

    /// <summary>Splits and validates <c>table</c> or <c>db.table</c>; lower-cases both parts.</summary>
    public static (string Database, string Table) ParseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('.');
        return parts.Length switch
        {
            1 => (DefaultDatabase, ValidateIdentifier(parts[0], "table")),
            2 => (ValidateIdentifier(parts[0], "database"), ValidateIdentifier(parts[1], "table")),
            _ => throw new ArgumentException($"invalid table name '{name}': expected table or database.table", nameof(name)),
        };
    }

    private static string ValidateIdentifier(string identifier, string what)
    {
        // Letters, digits and underscores only: a name can never become a path outside the warehouse.
        if (identifier.Length == 0 || !identifier.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"invalid {what} name '{identifier}': use letters, digits and underscores only");
        }

        return identifier.ToLowerInvariant();
    }

    private static string DefaultLocation(string database, string table) =>
        database == DefaultDatabase ? table : $"{database}.db/{table}";

    private static string EntryKey(string database, string table) => $"{CatalogFolder}{database}/{table}.json";

    private static bool IsAbsolute(string location) => location.StartsWith('/') || location.Contains("://", StringComparison.Ordinal) || location.StartsWith("file:", StringComparison.Ordinal);

    private static byte[] Serialize(CatalogTable table, Guid registrationId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("database", table.Database);
            writer.WriteString("name", table.Name);
            writer.WriteString("location", table.Location);
            writer.WriteNumber("createdTime", table.CreatedTime.ToUnixTimeMilliseconds());
            writer.WriteString("registrationId", registrationId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private CatalogTable Deserialize(byte[] json, string key)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new CatalogTable(
                root.GetProperty("database").GetString()!,
                root.GetProperty("name").GetString()!,
                root.GetProperty("location").GetString()!,
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("createdTime").GetInt64()));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DeltaLogException($"catalog entry {warehouse.Root}/{key} is not valid: {e.Message}", e);
        }
    }
}
