using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>The catalog's behaviour on every store: in memory, local files and Azure Blob Storage (Azurite).</summary>
public abstract class DeltaCatalogTests
{
    /// <summary>A fresh, empty warehouse root.</summary>
    protected abstract IObjectStore NewWarehouse();

    private static async Task<List<string>> KeysAsync(IObjectStore store)
    {
        var keys = new List<string>();
        await foreach (var page in store.ListAsync("", ListOptions.Recursive))
        {
            keys.AddRange(page.Objects.Select(o => o.Key));
        }

        return keys;
    }

    [Fact]
    public async Task Tables_map_to_spark_warehouse_folders_and_are_seen_by_another_catalogAsync()
    {
        var warehouse = NewWarehouse();
        var catalog = new DeltaCatalog(warehouse);
        await catalog.CreateAsync("Books");
        await catalog.CreateAsync("sales.Orders");

        var other = new DeltaCatalog(warehouse);
        Assert.Equal("books", (await other.ResolveAsync("BOOKS")).Location);
        Assert.Equal("sales.db/orders", (await other.ResolveAsync("sales.orders")).Location);
        Assert.Equal(["default.books", "sales.orders"], (await other.ListAsync()).Select(t => t.QualifiedName));
        Assert.Equal(["sales.orders"], (await other.ListAsync("SALES")).Select(t => t.QualifiedName));
    }

    [Fact]
    public async Task A_table_created_through_the_catalog_lives_in_its_folder_and_can_be_describedAsync()
    {
        var warehouse = NewWarehouse();
        var catalog = new DeltaCatalog(warehouse);
        await catalog.CreateAsync("sales.orders");
        var log = await catalog.OpenAsync("sales.orders");
        await log.CreateTableAsync(MetadataAction.Create(DeltaTestTables.Schema, ["topic"]));
        await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("topic=a/x.parquet", new Dictionary<string, string?> { ["topic"] = "a" })]));

        var description = await catalog.DescribeAsync("sales.orders");

        Assert.Contains("sales.db/orders/_delta_log/00000000000000000001.json", await KeysAsync(warehouse));
        Assert.Equal(warehouse.Root.TrimEnd('/') + "/sales.db/orders", log.Table);
        Assert.Equal((1L, 1, 100L), (description.Version, description.FileCount, description.SizeInBytes));
        Assert.Equal(["topic"], description.Metadata.PartitionColumns);
    }

    [Fact]
    public async Task Unknown_tables_and_duplicate_names_raise_clear_errorsAsync()
    {
        var catalog = new DeltaCatalog(NewWarehouse());
        await catalog.CreateAsync("books");

        var notFound = await Assert.ThrowsAsync<TableNotFoundException>(() => catalog.ResolveAsync("nope"));
        Assert.Equal("Table or view not found: nope", notFound.Message);
        var exists = await Assert.ThrowsAsync<DeltaTableExistsException>(() => catalog.CreateAsync("BOOKS"));
        Assert.Contains("default.books already exists", exists.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drop_unregisters_and_optionally_deletes_the_dataAsync()
    {
        var warehouse = NewWarehouse();
        var catalog = new DeltaCatalog(warehouse);
        await catalog.CreateAsync("keep");
        await catalog.CreateAsync("wipe");
        foreach (var name in new[] { "keep", "wipe" })
        {
            await (await catalog.OpenAsync(name)).CreateTableAsync(MetadataAction.Create(DeltaTestTables.Schema));
        }

        Assert.True(await catalog.DropAsync("keep", deleteData: false));
        Assert.True(await catalog.DropAsync("wipe", deleteData: true));
        Assert.False(await catalog.DropAsync("wipe", deleteData: true));

        Assert.Empty(await catalog.ListAsync());
        Assert.Contains(await KeysAsync(warehouse), k => k.StartsWith("keep/_delta_log/", StringComparison.Ordinal));
        Assert.DoesNotContain(await KeysAsync(warehouse), k => k.StartsWith("wipe/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("db.a.b")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("x y")]
    [InlineData("db.")]
    [InlineData("..")]
    [InlineData("%2e%2e")]
    public async Task Hostile_names_are_refused_before_touching_the_storeAsync(string name)
    {
        var warehouse = NewWarehouse();
        var catalog = new DeltaCatalog(warehouse);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => catalog.CreateAsync(name));

        Assert.Contains("name", error.Message, StringComparison.Ordinal);
        Assert.Empty(await KeysAsync(warehouse));
    }

    [Fact]
    public async Task A_relative_location_cannot_climb_out_of_the_warehouseAsync()
    {
        var catalog = new DeltaCatalog(NewWarehouse());

        await Assert.ThrowsAsync<ArgumentException>(() => catalog.CreateAsync("t", "../outside"));
    }
}

public sealed class InMemoryDeltaCatalogTests : DeltaCatalogTests
{
    protected override IObjectStore NewWarehouse() => new InMemoryObjectStore("memory://warehouse");
}

public sealed class LocalDeltaCatalogTests : DeltaCatalogTests, IDisposable
{
    private readonly OrleansStreams.TestSupport.TempDirectory temp = new("catalog");

    public void Dispose() => temp.Dispose();

    protected override IObjectStore NewWarehouse() => new LocalFileObjectStore(temp.Combine($"w{Guid.NewGuid():N}"));
}

public sealed class AzuriteDeltaCatalogTests(OrleansStreams.TestSupport.AzuriteFixture azurite) : DeltaCatalogTests, IClassFixture<OrleansStreams.TestSupport.AzuriteFixture>
{
    private readonly ObjectStoreFactory factory = new(new StorageOptions { ConnectionString = azurite.ConnectionString });

    protected override IObjectStore NewWarehouse() => factory.Create($"abfss://warehouse@devstoreaccount1.dfs.core.windows.net/w{Guid.NewGuid():N}");
}
