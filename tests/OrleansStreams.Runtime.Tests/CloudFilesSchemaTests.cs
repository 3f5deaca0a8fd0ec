using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Runtime.Streaming.Schemas;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>The schema of a cloudFiles source: the inference sample, hints, the schema log's versions.</summary>
public sealed class CloudFilesSchemaTests : IDisposable
{
    private readonly TempDirectory temp = new("cloudfiles-schema");
    private readonly ObjectStoreFactory stores = new(new StorageOptions());

    public void Dispose() => temp.Dispose();

    private Task<CloudFilesSchema> ResolveAsync(InferenceSample? sample = null, params (string Key, string Value)[] options)
    {
        var map = options.ToDictionary(o => o.Key, o => o.Value);
        map["cloudFiles.format"] = "json";
        map["cloudFiles.schemaLocation"] = temp.Combine("schema");
        var spec = new DiscoverySpec { Folder = temp.Combine("in"), CheckpointFolder = string.Empty };
        return CloudFilesSchema.ResolveAsync(stores.Create(spec.Folder), new DiscoveryFilter(spec), recursive: true, CloudFilesOptions.Parse(map), stores, sample, CancellationToken.None);
    }

    private void Write(string name, string text, DateTime modified)
    {
        Directory.CreateDirectory(temp.Combine("in"));
        File.WriteAllText(temp.Combine("in", name), text);
        File.SetLastWriteTimeUtc(temp.Combine("in", name), modified);
    }

    [Fact]
    public async Task Inference_reads_only_the_first_files_of_the_sampleAsync()
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Write("c.json", "{\"z\":1}\n", start);
        Write("a.json", "{\"y\":1}\n", start.AddMinutes(1));
        Write("_hidden.json", "{\"hidden\":1}\n", start.AddMinutes(2));
        Write("b.json", "{\"x\":1}\n", start.AddMinutes(3));

        var schema = await ResolveAsync(new InferenceSample(MaxFiles: 2));

        Assert.Equal(DdlParser.ParseSchema("y STRING, z STRING, _rescued_data STRING"), schema.DataSchema);
        Assert.Equal(0, schema.Version);
        Assert.Equal(SchemaEvolutionMode.AddNewColumns, schema.Mode);
    }

    [Fact]
    public async Task Hints_set_types_add_columns_and_reach_into_structsAsync()
    {
        Write("a.json", "{\"id\":1,\"address\":{\"zip\":\"01234\",\"city\":\"Oslo\"}}\n", DateTime.UtcNow);

        var schema = await ResolveAsync(
            null,
            ("cloudFiles.inferColumnTypes", "true"),
            ("cloudFiles.schemaHints", "id INT, address.zip STRING, `first seen` TIMESTAMP, tags MAP<STRING, STRING>"),
            ("cloudFiles.schemaEvolutionMode", "none"));

        Assert.Equal(
            DdlParser.ParseSchema("address STRUCT<city: STRING, zip: STRING>, id INT, `first seen` TIMESTAMP, tags MAP<STRING, STRING>"),
            schema.DataSchema);
    }

    [Fact]
    public async Task The_latest_version_is_read_back_and_a_version_is_written_onceAsync()
    {
        Write("a.json", "{\"id\":1}\n", DateTime.UtcNow);
        var first = await ResolveAsync();
        Write("b.json", "{\"id\":2,\"extra\":true}\n", DateTime.UtcNow);

        var log = new SchemaLog(stores.Create(temp.Combine("schema")));
        var winner = await log.AddAsync(1, DdlParser.ParseSchema("id STRING, extra STRING"), CancellationToken.None);
        var loser = await log.AddAsync(1, DdlParser.ParseSchema("id STRING, other STRING"), CancellationToken.None);
        var again = await ResolveAsync();

        Assert.Equal(0, first.Version);
        Assert.Equal(winner, loser); // the second writer of version 1 gets the first one's schema
        Assert.Equal(1, again.Version);
        Assert.Equal(DdlParser.ParseSchema("id STRING, extra STRING, _rescued_data STRING"), again.DataSchema);
    }
}
