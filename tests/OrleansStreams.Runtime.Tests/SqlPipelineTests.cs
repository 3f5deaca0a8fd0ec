using OrleansStreams.Client;
using OrleansStreams.Client.Pipelines;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>SQL pipelines: what parsing checks before anything runs, and a run in dependency order.</summary>
public sealed class SqlPipelineTests : IDisposable
{
    private const string Source = "read_files('in', format => 'json', schema => 'key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG')";

    private readonly TempDirectory temp = new("sql-pipeline");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Output_modes_follow_Sparks_rules_unless_a_table_property_asks()
    {
        var pipeline = SqlPipeline.Parse($"""
            CREATE OR REFRESH STREAMING TABLE counts AS SELECT topic, count(*) AS n FROM STREAM raw GROUP BY topic;
            CREATE OR REFRESH STREAMING TABLE raw AS SELECT * FROM STREAM {Source};
            CREATE OR REFRESH STREAMING TABLE windows AS SELECT window(ts, '1 hour') AS w, count(*) AS n
              FROM (SELECT CAST(timestamp / 1000 AS TIMESTAMP) AS ts FROM STREAM raw) GROUP BY window(ts, '1 hour');
            """, "p.sql");
        var update = SqlPipeline.Parse($"CREATE OR REFRESH STREAMING TABLE u TBLPROPERTIES ('pipelines.outputMode' = 'update') AS SELECT topic, count(*) AS n FROM STREAM {Source} GROUP BY topic");

        Assert.Equal(["raw", "counts", "windows"], pipeline.Tables.Select(t => t.Name));
        Assert.Equal([OutputMode.Append, OutputMode.Complete, OutputMode.Complete], pipeline.Tables.Select(t => t.OutputMode));
        Assert.Equal(["raw"], pipeline.Tables[1].DependsOn);
        Assert.Equal(OutputMode.Update, update.Tables[0].OutputMode);
    }

    [Theory]
    [InlineData("CREATE OR REFRESH STREAMING TABLE a AS SELECT * FROM STREAM b;\nCREATE OR REFRESH STREAMING TABLE b AS SELECT * FROM STREAM a;", "p.sql:1: streaming tables read each other in a cycle: a → b → a")]
    [InlineData("CREATE OR REFRESH STREAMING TABLE a TBLPROPERTIES ('pipelines.mode' = 'x') AS SELECT * FROM STREAM t;", "p.sql:1: streaming table a: unknown table property 'pipelines.mode'")]
    [InlineData("\nCREATE OR REFRESH STREAMING TABLE a AS SELECT * FROM books;", "p.sql:2: streaming table a reads no stream")]
    [InlineData("SELECT 1;", "p.sql:1: a pipeline holds CREATE OR REFRESH STREAMING TABLE, CREATE TEMP VIEW and SET statements, not a query")]
    [InlineData("CREATE OR REFRESH STREAMING TABLE a TBLPROPERTIES ('pipelines.outputMode' = 'append') AS SELECT topic, count(*) FROM STREAM t GROUP BY topic;", "p.sql:1: streaming table a: Append output mode not supported when there are streaming aggregations")]
    [InlineData("CREATE OR REFRESH STREAMING TABLE a AS\nSELECT * FROM STREAM read_files('in', format => 'json',\n  schema => 'a INT, b STRNG');", "p.sql:3:")]
    public void Mistakes_are_refused_before_running_with_the_place_at_fault(string text, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => SqlPipeline.Parse(text, "p.sql"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Available_now_runs_a_table_after_the_table_it_reads_and_a_rerun_adds_nothingAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            KafkaRawFiles.Write(temp.Combine("in"), i, 10);
        }

        var pipeline = SqlPipeline.Parse($"""
            CREATE TEMP VIEW typed AS SELECT topic, CAST(timestamp / 1000 AS TIMESTAMP) AS ts FROM STREAM raw;
            CREATE OR REFRESH STREAMING TABLE per_topic AS SELECT topic, count(*) AS n FROM typed GROUP BY topic;
            CREATE OR REFRESH STREAMING TABLE raw PARTITIONED BY (topic) AS SELECT * FROM STREAM {Source.Replace("'in'", $"'{temp.Combine("in")}'", StringComparison.Ordinal)};
            """);
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

        var first = await spark.RunPipelineAsync(pipeline);
        var second = await spark.RunPipelineAsync(pipeline, new PipelineRunOptions { Trigger = Trigger.Once });
        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT sum(n) AS total FROM per_topic")!));

        Assert.All(first.Tables, t => Assert.Equal(PipelineTableState.Completed, t.State));
        Assert.Equal(30, first.Tables.Single(t => t.Table.Name == "per_topic").InputRows);
        Assert.Equal(0, second.Tables.Sum(t => t.InputRows));
        Assert.Equal("30", rows[0]["total"]!.ToString());
        Assert.Equal(["topic"], (await spark.Catalog.DescribeAsync("raw")).Metadata.PartitionColumns);
        Assert.True(Directory.Exists(temp.Combine("warehouse", "_checkpoints", "per_topic")));
    }

    [Fact]
    public async Task A_read_files_without_a_schema_is_inferred_and_evolves_the_table_by_itselfAsync()
    {
        var input = temp.Combine("events");
        Directory.CreateDirectory(input);
        File.WriteAllText(Path.Combine(input, "e0.json"), "{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n");
        File.SetLastWriteTimeUtc(Path.Combine(input, "e0.json"), DateTime.UtcNow.AddMinutes(-2));
        var pipeline = SqlPipeline.Parse($"CREATE OR REFRESH STREAMING TABLE events AS SELECT * FROM STREAM read_files('{input}', format => 'json')");
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });

        var first = await spark.RunPipelineAsync(pipeline);
        File.WriteAllText(Path.Combine(input, "e1.json"), "{\"id\":\"c\",\"n\":3,\"color\":\"red\"}\n");
        var second = await spark.RunPipelineAsync(pipeline);
        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id, n, color FROM events ORDER BY id")!));

        Assert.All(first.Tables.Concat(second.Tables), t => Assert.Equal(PipelineTableState.Completed, t.State));
        Assert.Equal(["a:1:", "b:2:", "c:3:red"], rows.Select(r => $"{r["id"]}:{r["n"]}:{r["color"]}"));
        // The schema's versions live in the table's checkpoint: the first inferred, the second with the new column.
        Assert.True(File.Exists(temp.Combine("warehouse", "_checkpoints", "events", "sources", "0", "_schemas", "1")));
    }
}
