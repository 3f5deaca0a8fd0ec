using Apache.Arrow;
using Apache.Arrow.Types;
using OrleansStreams.Engine.Common;

namespace OrleansStreams.Engine.Tests.Common;

/// <summary>
/// The stable hash is a function of the value alone: the same in every process and version (pinned values), and the
/// same for equal values whatever their Arrow layout.
/// </summary>
public class StableHashTests
{
    private static ulong One(IArrowArray column) => StableHash.Values(column)[0];

    private static StringArray Strings(params string?[] values)
    {
        var builder = new StringArray.Builder();
        foreach (var v in values)
        {
            if (v is null)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(v);
            }
        }

        return builder.Build();
    }

    [Fact]
    public void Values_hash_to_the_same_numbers_in_every_process_and_version()
    {
        // XXH3-64, seed 0, of the canonical bytes: pinned so that a change of scheme cannot pass unnoticed
        // (checkpoints place state by these numbers).
        Assert.Equal(System.IO.Hashing.XxHash3.HashToUInt64("Haruki Murakami"u8), One(Strings("Haruki Murakami")));
        Assert.Equal(0x2D06800538D394C2UL, One(Strings(string.Empty))); // the published XXH3-64 of the empty input
        Assert.Equal(System.IO.Hashing.XxHash3.HashToUInt64(BitConverter.GetBytes(42L)), One(new Int64Array.Builder().Append(42).Build()));
    }

    [Fact]
    public void Equal_values_hash_equally_whatever_their_layout()
    {
        var plain = StableHash.Values(Strings("a", "bb", null, "ccc"));

        var sliced = (StringArray)ArrowArrayFactory.Slice(Strings("x", "a", "bb", null, "ccc"), 1, 4);
        var large = new LargeStringArray.Builder().Append("a").Append("bb").AppendNull().Append("ccc").Build();
        var view = new StringViewArray.Builder().Append("a").Append("bb").AppendNull().Append("ccc").Build();
        var dictionary = new DictionaryArray(
            new DictionaryType(Int32Type.Default, StringType.Default, false),
            new Int32Array.Builder().Append(1).Append(0).AppendNull().Append(2).Build(),
            Strings("bb", "a", "ccc"));

        Assert.Equal(plain, StableHash.Values(sliced));
        Assert.Equal(plain, StableHash.Values(large));
        Assert.Equal(plain, StableHash.Values(view));
        Assert.Equal(plain, StableHash.Values(dictionary));
    }

    [Fact]
    public void Integers_of_any_width_hash_as_the_same_number_and_floats_are_normalized()
    {
        Assert.Equal(One(new Int64Array.Builder().Append(-7).Build()), One(new Int32Array.Builder().Append(-7).Build()));
        Assert.Equal(One(new Int64Array.Builder().Append(-7).Build()), One(new Int8Array.Builder().Append(-7).Build()));
        Assert.Equal(One(new DoubleArray.Builder().Append(0.0).Build()), One(new DoubleArray.Builder().Append(-0.0).Build()));
        Assert.Equal(One(new DoubleArray.Builder().Append(double.NaN).Build()), One(new DoubleArray.Builder().Append(BitConverter.Int64BitsToDouble(0x7FF8000000000001)).Build()));
        Assert.Equal(One(new DoubleArray.Builder().Append(1.5).Build()), One(new FloatArray.Builder().Append(1.5f).Build()));
        Assert.NotEqual(One(Strings(string.Empty)), One(Strings([null])));
    }

    [Fact]
    public void A_struct_hashes_by_its_fields_and_a_sliced_struct_by_the_rows_it_covers()
    {
        var names = Strings("x", "a", "b");
        var numbers = new Int64Array.Builder().Append(0).Append(1).Append(2).Build();
        var type = new StructType([new Field("name", StringType.Default, true), new Field("n", Int64Type.Default, true)]);
        var full = new StructArray(type, 3, [names, numbers], ArrowBuffer.Empty, 0);
        var sliced = ArrowArrayFactory.Slice(full, 1, 2);

        var expected = StableHash.Rows([Strings("a", "b"), new Int64Array.Builder().Append(1).Append(2).Build()], 2);

        Assert.Equal(expected, StableHash.Values(sliced));
        Assert.NotEqual(StableHash.Values(sliced)[0], StableHash.Values(sliced)[1]);
    }

    [Fact]
    public void Keys_spread_over_every_partition()
    {
        var keys = Strings([.. Enumerable.Range(0, 1000).Select(i => $"author {i}")]);
        var counts = new int[8];
        foreach (var hash in StableHash.Values(keys))
        {
            counts[StableHash.Partition(hash, 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 90, 160));
    }
}
