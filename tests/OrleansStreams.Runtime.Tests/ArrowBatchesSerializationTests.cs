using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>Batches in grain calls: by reference within a silo, as Arrow IPC between silos.</summary>
public sealed class ArrowBatchesSerializationTests
{
    private static readonly StructType Schema = DdlParser.ParseSchema("id BIGINT, name STRING, payload BINARY");

    private static readonly ArrowBatches Batches = new(
        ArrowTypes.ToArrowSchema(Schema),
        [
            RecordBatches.Of(Schema, [[1L, "a", new byte[] { 1, 2 }], [2L, null, null]]),
            RecordBatches.Of(Schema, [[3L, "ccc", Array.Empty<byte>()]]),
        ]);

    private readonly IServiceProvider services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(ArrowBatches).Assembly)).BuildServiceProvider();

    [Fact]
    public void A_scan_result_between_silos_carries_every_batch_column_and_null()
    {
        var serializer = services.GetRequiredService<Serializer<ScanResult>>();

        var copy = serializer.Deserialize(serializer.SerializeToArray(new ScanResult(Batches, new FileSplitReport())))!;

        Assert.Equal(Batches.Batches.Select(b => b.Length), copy.Batches.Batches.Select(b => b.Length));
        Assert.Equal(Batches.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)), copy.Batches.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)));
        Assert.Equal(
            RowJson.Render(Batches.Batches).Select(r => r.ToJsonString()),
            RowJson.Render(copy.Batches.Batches).Select(r => r.ToJsonString()));
    }

    [Fact]
    public void No_batches_cross_silos_with_their_schema()
    {
        var serializer = services.GetRequiredService<Serializer<ArrowBatches>>();

        var copy = serializer.Deserialize(serializer.SerializeToArray(new ArrowBatches(Batches.Schema, [])))!;

        Assert.Empty(copy.Batches);
        Assert.Equal(["id", "name", "payload"], copy.Schema.FieldsList.Select(f => f.Name));
    }

    [Fact]
    public void Within_a_silo_the_batches_are_passed_as_they_are_not_copied()
    {
        var result = new ScanResult(Batches, new FileSplitReport());

        Assert.Same(result, services.GetRequiredService<DeepCopier<ScanResult>>().Copy(result));
        Assert.Same(Batches, services.GetRequiredService<DeepCopier<ArrowBatches>>().Copy(Batches));
    }
}
