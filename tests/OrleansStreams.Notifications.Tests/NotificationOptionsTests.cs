using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Notifications.Tests;

public sealed class NotificationOptionsTests
{
    private static CloudFilesOptions Parse(params (string Key, string Value)[] options) =>
        CloudFilesOptions.Parse(options.Append(("cloudFiles.format", "json")).ToDictionary(o => o.Item1, o => o.Item2));

    [Fact]
    public void Notification_options_are_read_with_or_without_the_prefix()
    {
        var options = Parse(("cloudFiles.useNotifications", "true"), ("queueName", "landing-events"), ("cloudFiles.backfillInterval", "1 day"), ("connectionString", "UseDevelopmentStorage=true"));
        Assert.True(options.UseNotifications);
        Assert.Equal("landing-events", options.QueueName);
        Assert.Equal(TimeSpan.FromDays(1), options.BackfillInterval);
        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.False(Parse().UseNotifications);
    }

    [Theory]
    [InlineData("useNotifications", "yes", "cloudFiles.useNotifications must be true or false, not 'yes'")]
    [InlineData("backfillInterval", "daily", "option cloudFiles.backfillInterval 'daily' is not a valid interval")]
    [InlineData("backfillInterval", "0 seconds", "cloudFiles.backfillInterval must be a positive interval")]
    [InlineData("queueName", "Bad_Queue", "cloudFiles.queueName 'Bad_Queue' is not a storage queue name")]
    [InlineData("queueNam", "q", "Unknown Auto Loader option 'queueNam'. Did you mean 'cloudFiles.queueName'?")]
    public void Bad_notification_options_are_errors_naming_the_option(string key, string value, string message)
    {
        var options = new List<(string, string)> { (key, value) };
        if (key != "useNotifications")
        {
            options.Add(("useNotifications", "true"));
            if (key != "queueName")
            {
                options.Add(("queueName", "events"));
            }
        }

        var error = Assert.Throws<ArgumentException>(() => Parse([.. options]));
        Assert.Contains(message, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Notifications_without_a_queue_name_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(("useNotifications", "true")));
        Assert.StartsWith("Option cloudFiles.queueName is required with cloudFiles.useNotifications", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_files_takes_the_notification_options_as_named_arguments()
    {
        var session = new Engine.Execution.QuerySession(Engine.Execution.NoTables.Instance);
        var plan = session.Sql(
            "SELECT * FROM STREAM read_files('wasbs://landing@acct.blob.core.windows.net/in', format => 'json', schema => 'id INT', " +
            "useNotifications => 'true', cloudFiles.queueName => 'landing-events', backfillInterval => '10 minutes')")!.Plan;
        var source = Assert.IsType<DataSourceRelation>(Assert.Single(Engine.Plans.StreamingLeaves.Of(plan)));
        var options = CloudFilesOptions.Parse(source.Options);
        Assert.True(options.UseNotifications);
        Assert.Equal("landing-events", options.QueueName);
        Assert.Equal(TimeSpan.FromMinutes(10), options.BackfillInterval);
    }

    [Fact]
    public void The_queue_is_reached_with_the_source_option_the_account_connection_string_or_the_account_endpoint()
    {
        var spec = new DiscoverySpec
        {
            Folder = "https://acct.blob.core.windows.net/landing/in/",
            CheckpointFolder = "/cp/sources/0",
            Notifications = new NotificationSpec { QueueName = "events" },
        };
        var azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

        var credential = new NotificationQueues(new NotificationOptions(), new StorageOptions()).Resolve(spec);
        Assert.Equal("https://acct.queue.core.windows.net/events", credential.Address());
        Assert.Null(credential.ConnectionString);

        var own = new NotificationQueues(new NotificationOptions(), new StorageOptions()).Resolve(spec with { Notifications = spec.Notifications! with { ConnectionString = azurite } });
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1/events", own.Address());
        Assert.DoesNotContain("a2V5", own.ToString(), StringComparison.Ordinal);

        var silo = new NotificationQueues(new NotificationOptions(), new StorageOptions { ConnectionString = azurite })
            .Resolve(spec with { Folder = "http://127.0.0.1:10000/devstoreaccount1/landing/in/" });
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1/events", silo.Address());

        var error = Assert.Throws<ArgumentException>(() => new NotificationQueues(new NotificationOptions(), new StorageOptions())
            .Resolve(spec with { Folder = "http://127.0.0.1:10000/devstoreaccount1/landing/in/" }));
        Assert.Contains("set cloudFiles.connectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_on_a_local_folder_or_off_the_silo_are_refusedAsync()
    {
        using var temp = new TestSupport.TempDirectory("notify-options");
        var stores = new ObjectStoreFactory(new StorageOptions());
        var catalog = new Storage.Delta.DeltaCatalog(stores.Create(temp.Combine("warehouse")), stores.Create);
        LogicalPlan Leaf(string path) => Assert.Single(Engine.Plans.StreamingLeaves.Of(new Engine.Execution.QuerySession(Engine.Execution.NoTables.Instance)
            .Sql($"SELECT * FROM STREAM read_files('{path}', format => 'json', schema => 'id INT', useNotifications => 'true', queueName => 'events')")!.Plan));

        var local = await Assert.ThrowsAsync<ArgumentException>(() => StreamSources.CreateAsync(Leaf(temp.Combine("in")), 0, catalog, stores, stores.Create(temp.Combine("cp"))));
        Assert.Contains($"{temp.Combine("in")} is a local folder", local.Message, StringComparison.Ordinal);

        var embedded = await Assert.ThrowsAsync<NotSupportedException>(() => StreamSources.CreateAsync(Leaf("wasbs://landing@acct.blob.core.windows.net/in"), 0, catalog, stores, stores.Create(temp.Combine("cp"))));
        Assert.Contains("cloudFiles.useNotifications runs on a silo", embedded.Message, StringComparison.Ordinal);
    }
}
