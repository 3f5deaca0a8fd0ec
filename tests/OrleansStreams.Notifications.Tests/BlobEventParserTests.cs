using System.Text;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Notifications.Tests;

public sealed class BlobEventParserTests
{
    private const string Url = "https://acct.blob.core.windows.net/landing/in/2024/part-0001.json";

    /// <summary>The Event Grid schema as Azure delivers a storage event (the documented sample's shape).</summary>
    private const string EventGridJson = """
        {
          "topic": "/subscriptions/0b5e4b3c-1111-2222-3333-444455556666/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/acct",
          "subject": "/blobServices/default/containers/landing/blobs/in/2024/part-0001.json",
          "eventType": "Microsoft.Storage.BlobCreated",
          "eventTime": "2024-06-26T18:41:00.9584103Z",
          "id": "831e1650-001e-001b-66ab-eeb76e069631",
          "data": {
            "api": "PutBlockList",
            "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
            "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
            "eTag": "\"0x8D4BCC2E4835CD0\"",
            "contentType": "application/json",
            "contentLength": 524288,
            "blobType": "BlockBlob",
            "url": "https://acct.blob.core.windows.net/landing/in/2024/part-0001.json",
            "sequencer": "00000000000004420000000000028963",
            "storageDiagnostics": { "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0" }
          },
          "dataVersion": "",
          "metadataVersion": "1"
        }
        """;

    private const string CloudEventJson = """
        {
          "source": "/subscriptions/0b5e4b3c-1111-2222-3333-444455556666/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/acct",
          "subject": "/blobServices/default/containers/landing/blobs/in/2024/part-0001.json",
          "type": "Microsoft.Storage.BlobCreated",
          "time": "2024-06-26T18:41:00.9584103Z",
          "id": "831e1650-001e-001b-66ab-eeb76e069631",
          "data": {
            "api": "FlushWithClose",
            "eTag": "\"0x8D4BCC2E4835CD0\"",
            "contentType": "application/json",
            "contentLength": 524288,
            "blobType": "BlockBlob",
            "url": "https://acct.blob.core.windows.net/landing/in/2024/part-0001.json",
            "sequencer": "00000000000004420000000000028963"
          },
          "specversion": "1.0"
        }
        """;

    [Theory]
    [InlineData(EventGridJson)]
    [InlineData(CloudEventJson)]
    public void Both_schemas_plain_or_base64_give_the_blob_s_url_size_and_time(string json)
    {
        foreach (var text in new[] { json, Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), $"[{json}]" })
        {
            var parsed = BlobEventParser.ParseQueueMessage(text);
            Assert.Null(parsed.Error);
            var blob = Assert.Single(parsed.Created);
            Assert.Equal(Url, blob.Url);
            Assert.Equal(524288, blob.ContentLength);
            Assert.Equal(new DateTimeOffset(2024, 6, 26, 18, 41, 0, TimeSpan.Zero).AddTicks(9584103), blob.EventTime);
            Assert.Equal("831e1650-001e-001b-66ab-eeb76e069631", blob.Id);
            Assert.True(blob.IsComplete);
        }
    }

    [Fact]
    public void Data_Lake_CreateFile_is_recognised_but_announces_no_complete_file()
    {
        var parsed = BlobEventParser.ParseQueueMessage(EventGridJson.Replace("PutBlockList", "CreateFile", StringComparison.Ordinal));
        Assert.False(Assert.Single(parsed.Created).IsComplete);
    }

    [Theory]
    [InlineData("not json at all!", "neither JSON nor base64")]
    [InlineData("this is not an event", "neither JSON nor base64")]
    [InlineData("{\"hello\": \"world\"}", "not Event Grid or CloudEvents")]
    [InlineData("[]", "empty")]
    [InlineData("42", "neither JSON nor base64")]
    [InlineData("{\"eventType\": \"x\", \"subject\": \"s\"", "not JSON")]
    public void Content_that_is_not_events_is_an_error_saying_why(string text, string reason)
    {
        var parsed = BlobEventParser.ParseQueueMessage(text);
        Assert.NotNull(parsed.Error);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
        Assert.Empty(parsed.Created);
    }

    [Fact]
    public void Other_event_types_are_foreign_and_name_type_and_id()
    {
        var deleted = EventGridJson.Replace("Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted", StringComparison.Ordinal).Replace("PutBlockList", "DeleteBlob", StringComparison.Ordinal);
        var parsed = BlobEventParser.ParseQueueMessage(deleted);
        Assert.Null(parsed.Error);
        Assert.Empty(parsed.Created);
        Assert.Equal("Microsoft.Storage.BlobDeleted 831e1650-001e-001b-66ab-eeb76e069631", Assert.Single(parsed.Foreign));
    }

    [Fact]
    public void The_subscription_validation_handshake_is_recognised()
    {
        var handshake = """
            [{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66","topic":"/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/acct",
              "subject":"","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp-eastus2.eventgrid.azure.net/x"},
              "eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2024-08-06T22:09:30.740323Z","metadataVersion":"1","dataVersion":"2"}]
            """;
        var parsed = BlobEventParser.Parse(BinaryData.FromString(handshake));
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", Assert.Single(parsed.Validations).ValidationCode);
    }

    [Theory]
    [InlineData(EventSchema.EventGrid)]
    [InlineData(EventSchema.CloudEvents)]
    public void The_events_the_project_writes_are_read_back_by_the_Azure_SDK(EventSchema schema)
    {
        var blob = new BlobCreatedEvent
        {
            Id = Guid.NewGuid().ToString(),
            Url = "http://127.0.0.1:10000/devstoreaccount1/landing/in/a%20b.json",
            ContentLength = 17,
            EventTime = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            ETag = "\"0x1\"",
            Topic = BlobEventJson.TopicOf("devstoreaccount1"),
        };
        var json = BlobEventJson.Write(blob, schema);
        Assert.Equal("/blobServices/default/containers/landing/blobs/in/a b.json", json["subject"]!.GetValue<string>());
        var parsed = BlobEventParser.ParseQueueMessage(json.ToJsonString());
        var read = Assert.Single(parsed.Created);
        Assert.Equal(blob with { Sequencer = read.Sequencer, ContentType = read.ContentType }, read);
    }

    [Fact]
    public void Packed_messages_stay_within_64_KiB_and_hold_every_event()
    {
        var events = Enumerable.Range(0, 3000).Select(i => BlobEventJson.Write(new BlobCreatedEvent
        {
            Id = $"e{i}",
            Url = $"https://acct.blob.core.windows.net/landing/in/part-{i:D5}.json",
            ContentLength = i,
            EventTime = DateTimeOffset.UnixEpoch.AddSeconds(i),
        }, EventSchema.EventGrid)).ToList();
        var messages = MessagePacker.Pack(events).ToList();
        Assert.True(messages.Count > 10, $"{messages.Count} messages");
        Assert.All(messages, m => Assert.InRange(MessagePacker.WireSize(m), 1, NotificationStreams.MaxMessageBytes));
        var urls = messages.SelectMany(m => BlobEventParser.ParseQueueMessage(m).Created).Select(e => e.Url).ToList();
        Assert.Equal(events.Select(e => e["data"]!["url"]!.GetValue<string>()), urls);
    }

    [Fact]
    public void An_event_too_large_for_any_message_is_refused_by_name()
    {
        var huge = BlobEventJson.Write(new BlobCreatedEvent { Id = "big", Url = "https://acct.blob.core.windows.net/landing/" + new string('x', 70_000) }, EventSchema.EventGrid);
        var error = Assert.Throws<ArgumentException>(() => MessagePacker.Pack([huge]).ToList());
        Assert.Contains("The event big for https://acct.blob.core.windows.net/landing/xxx", error.Message, StringComparison.Ordinal);
        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Excerpts_of_messages_are_short_and_printable()
    {
        var excerpt = BlobEventParser.Excerpt("line\nbreak" + new string('y', 500));
        Assert.DoesNotContain('\n', excerpt);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
        Assert.Equal(201, excerpt.Length);
    }
}
