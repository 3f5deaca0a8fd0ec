using System.Text;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

public class DeltaActionJsonTests
{
    [Fact]
    public void Every_action_round_trips_through_one_json_line()
    {
        DeltaAction[] actions =
        [
            new ProtocolAction(1, 2),
            new MetadataAction("id-1", "t", "d", FormatSpec.Parquet, DeltaTestTables.Schema, ["topic"], new Dictionary<string, string> { ["delta.checkpointInterval"] = "5" }, 123),
            new AddFile("topic=a+b/f.parquet", new Dictionary<string, string?> { ["topic"] = "a+b", ["n"] = null }, 10, 20, true, """{"numRecords":1}""", new Dictionary<string, string> { ["k"] = "v" }),
            new RemoveFile("topic=a+b/f.parquet", 30, true, true, new Dictionary<string, string?> { ["topic"] = "a+b" }, 10),
            new TransactionAction("query", 7, 40),
            new ProtocolAction(3, 7, ["timestampNtz"], ["appendOnly", "timestampNtz"]),
            new DomainMetadataAction("delta.clustering", """{"clusteringColumns":[]}""", false),
        ];

        var bytes = DeltaActionJson.SerializeCommit(actions);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        var parsed = DeltaActionJson.ParseCommit(bytes, "test");

        Assert.Equal(actions.Length + 1, lines.Length);
        Assert.Equal("", lines[^1]);
        Assert.Contains("\"path\":\"topic=a+b/f.parquet\"", lines[2], StringComparison.Ordinal);
        Assert.Equal(actions.Select(DeltaActionJson.Serialize), parsed.Select(DeltaActionJson.Serialize));
        Assert.Equal(actions[0], parsed[0]);
        Assert.Equal(actions[4], parsed[4]);
        Assert.Equal(actions[5], parsed[5]);
        Assert.Equal(actions[6], parsed[6]);
    }

    [Fact]
    public void Unknown_actions_and_fields_are_ignored_and_commit_info_keeps_its_extras()
    {
        var commit = """
            {"commitInfo":{"timestamp":5,"operation":"WRITE","operationParameters":{"mode":"Append","n":3},"engineInfo":"Spark","operationMetrics":{"numFiles":"1"}}}
            {"someFutureAction":{"domain":"x","configuration":"{}","removed":false}}
            {"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":2,"dataChange":true,"deletionVector":null,"baseRowId":4}}

            """u8;

        var actions = DeltaActionJson.ParseCommit(commit, "test");

        Assert.Equal(2, actions.Count);
        var info = Assert.IsType<CommitInfo>(actions[0]);
        Assert.Equal("3", info.OperationParameters["n"]);
        Assert.Equal("Spark", info.Extra!["engineInfo"].GetString());
        Assert.Contains("\"operationMetrics\":{\"numFiles\":\"1\"}", DeltaActionJson.Serialize(info), StringComparison.Ordinal);
        Assert.Equal("a", Assert.IsType<AddFile>(actions[1]).Path);
    }

    [Fact]
    public void A_broken_line_is_reported_with_the_file_and_line_number()
    {
        var error = Assert.Throws<DeltaLogException>(() => DeltaActionJson.ParseCommit("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n{\"add\":{\"size\":1}}\n"u8, "_delta_log/00000000000000000003.json"));

        Assert.Contains("_delta_log/00000000000000000003.json: line 2", error.Message, StringComparison.Ordinal);
    }
}
