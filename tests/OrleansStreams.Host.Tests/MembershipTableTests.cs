using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using OrleansStreams.Clustering;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>The membership protocol's table semantics, on Azurite's Table service.</summary>
public sealed class MembershipTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly string tableName = $"members{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task InsertRow_adds_the_entry_and_moves_the_version_in_one_transactionAsync()
    {
        var table = await InitializedAsync("cluster-a");
        var empty = await table.ReadAllAsync(default);
        Assert.Equal(0, empty.Version.Version);
        Assert.Empty(empty.Members);

        var entry = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, empty.Version.Next(), default));

        var read = await table.ReadAllAsync(default);
        Assert.Equal(1, read.Version.Version);
        Assert.NotEqual(empty.Version.VersionEtag, read.Version.VersionEtag);
        var (stored, etag) = Assert.Single(read.Members);
        Assert.False(string.IsNullOrEmpty(etag));
        AssertSame(entry, stored);

        // The same silo cannot be inserted twice, and a stale version ETag refuses any insert; neither leaves a trace.
        Assert.False(await table.InsertRowAsync(entry, read.Version.Next(), default));
        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), empty.Version.Next(), default));
        var after = await table.ReadAllAsync(default);
        Assert.Equal(read.Version, after.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task Concurrent_inserts_at_one_version_let_exactly_one_winAsync()
    {
        var table = await InitializedAsync("cluster-race");
        var version = (await table.ReadAllAsync(default)).Version.Next();
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => table.InsertRowAsync(Entry(30000 + i, SiloStatus.Joining), version, default)));
        Assert.Single(results, r => r);
        Assert.Single((await table.ReadAllAsync(default)).Members);
    }

    [Fact]
    public async Task UpdateRow_is_conditional_on_the_version_etag_and_needs_an_existing_rowAsync()
    {
        var table = await InitializedAsync("cluster-b");
        var entry = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var read = await table.ReadRowAsync(entry.SiloAddress, default);
        var (_, etag) = Assert.Single(read.Members);

        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(entry, etag, read.Version.Next(), default));

        // A writer holding the version read before that update lost the race.
        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(entry, etag, read.Version.Next(), default));
        var current = await table.ReadRowAsync(entry.SiloAddress, default);
        Assert.Equal(SiloStatus.Active, Assert.Single(current.Members).Item1.Status);
        Assert.Equal(2, current.Version.Version);

        // An update of a silo that has no row fails, and does not move the version.
        Assert.False(await table.UpdateRowAsync(Entry(22222, SiloStatus.Active), etag, current.Version.Next(), default));
        Assert.Equal(current.Version, (await table.ReadAllAsync(default)).Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_writes_only_the_heartbeat_and_keeps_earlier_reads_usableAsync()
    {
        var table = await InitializedAsync("cluster-c");
        var entry = Entry(11111, SiloStatus.Active);
        entry.AddSuspector(SiloAddress.New(IPAddress.Loopback, 22222, 7), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var before = await table.ReadAllAsync(default);
        var (_, etag) = Assert.Single(before.Members);

        var heartbeat = new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = entry.IAmAliveTime.AddMinutes(5) };
        await table.UpdateIAmAliveAsync(heartbeat, default);

        var after = await table.ReadAllAsync(default);
        Assert.Equal(before.Version, after.Version);
        var (beaten, _) = Assert.Single(after.Members);
        Assert.Equal(heartbeat.IAmAliveTime, beaten.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, beaten.Status);
        Assert.Equal(entry.SuspectTimes, beaten.SuspectTimes);
        Assert.Equal(entry.ProxyPort, beaten.ProxyPort);

        // The heartbeat did not invalidate the row and version read before it.
        entry.Status = SiloStatus.ShuttingDown;
        Assert.True(await table.UpdateRowAsync(entry, etag, before.Version.Next(), default));

        // A heartbeat for a silo without a row is an error, not a silent insert.
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() =>
            table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = SiloAddress.New(IPAddress.Loopback, 9, 9), IAmAliveTime = DateTime.UtcNow }, default));
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_removes_only_dead_entries_older_than_the_cutoffAsync()
    {
        var table = await InitializedAsync("cluster-d");
        var now = DateTime.UtcNow;
        var oldDead = Entry(1, SiloStatus.Dead, now.AddHours(-3));
        var recentlyDeclaredDead = Entry(2, SiloStatus.Dead, now.AddHours(-3));
        recentlyDeclaredDead.AddSuspector(SiloAddress.New(IPAddress.Loopback, 5, 5), now.AddMinutes(-1)); // the death vote is recent
        var oldActive = Entry(3, SiloStatus.Active, now.AddHours(-3));
        foreach (var entry in new[] { oldDead, recentlyDeclaredDead, oldActive })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        }

        await table.CleanupDefunctSiloEntriesAsync(now.AddHours(-1), default);

        var left = (await table.ReadAllAsync(default)).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([2, 3], left);
    }

    [Fact]
    public async Task Clusters_share_the_table_in_separate_partitionsAsync()
    {
        var a = await InitializedAsync("shared/one");
        var b = await InitializedAsync("shared/two");
        Assert.True(await a.InsertRowAsync(Entry(1, SiloStatus.Active), (await a.ReadAllAsync(default)).Version.Next(), default));
        Assert.True(await b.InsertRowAsync(Entry(2, SiloStatus.Active), (await b.ReadAllAsync(default)).Version.Next(), default));

        Assert.Equal(1, Assert.Single((await a.ReadAllAsync(default)).Members).Item1.SiloAddress.Endpoint.Port);
        var missing = await a.ReadRowAsync(Entry(2, SiloStatus.Active).SiloAddress, default);
        Assert.Empty(missing.Members);
        Assert.Equal(1, missing.Version.Version);

        await a.DeleteMembershipTableEntriesAsync("shared/one", default);
        Assert.Empty((await a.ReadAllAsync(default)).Members);
        Assert.Single((await b.ReadAllAsync(default)).Members);
    }

    [Fact]
    public async Task The_gateway_list_holds_the_active_silos_that_run_a_gatewayAsync()
    {
        var table = await InitializedAsync("cluster-gw");
        var active = Entry(1, SiloStatus.Active);
        var joining = Entry(2, SiloStatus.Joining);
        var dead = Entry(3, SiloStatus.Dead);
        var noGateway = Entry(4, SiloStatus.Active);
        noGateway.ProxyPort = 0;
        foreach (var entry in new[] { active, joining, dead, noGateway })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        }

        var gateways = new AzureTableGatewayListProvider(Client(), "cluster-gw", TimeSpan.FromSeconds(5));
        var uri = Assert.Single(await gateways.GetGatewaysAsync(default));
        Assert.Equal(SiloAddress.New(IPAddress.Loopback, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri(), uri);
    }

    [Fact]
    public void Missing_settings_are_named_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AzureTableClusteringOptions().Validate());
        Assert.Contains("OrleansStreams:Cluster:ConnectionString", error.Message);
        var badName = Assert.Throws<InvalidOperationException>(() => new AzureTableClusteringOptions { ConnectionString = "x", TableName = "no-dashes" }.Validate());
        Assert.Contains("no-dashes", badName.Message);
    }

    private async Task<AzureTableMembershipTable> InitializedAsync(string clusterId)
    {
        var table = new AzureTableMembershipTable(Client(), clusterId, NullLogger<AzureTableMembershipTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, default);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, default); // a second silo initializing finds it there
        return table;
    }

    private TableClient Client() => new TableServiceClient(azurite.ConnectionString).GetTableClient(tableName);

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime? time = null)
    {
        var at = time ?? new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 42),
            Status = status,
            ProxyPort = port + 1000,
            HostName = "host",
            SiloName = $"silo-{port}",
            RoleName = "orleans-streams",
            UpdateZone = 1,
            FaultZone = 2,
            StartTime = at,
            IAmAliveTime = at,
            SuspectTimes = [],
        };
    }

    private static void AssertSame(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.RoleName, actual.RoleName);
        Assert.Equal(expected.UpdateZone, actual.UpdateZone);
        Assert.Equal(expected.FaultZone, actual.FaultZone);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
    }
}
