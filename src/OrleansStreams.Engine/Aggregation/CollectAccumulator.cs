using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// <c>collect_list</c> (values in arrival order), <c>collect_set</c> (distinct values) and
/// <c>count(DISTINCT x)</c> (the size of that set). NULLs are skipped, as in Spark.
/// </summary>
public sealed class CollectAccumulator : Accumulator
{
    private readonly string function;
    private readonly DataType inputType;
    private List<object?>[] lists = [];
    private HashSet<object>[] sets = [];

    public CollectAccumulator(string function, DataType inputType)
    {
        this.function = function;
        this.inputType = inputType;
        ResultType = function == "count_distinct" ? LongType.Instance : new ArrayType(inputType, ContainsNull: false);
    }

    public override DataType ResultType { get; }

    private bool Distinct => function != "collect_list";

    public override void EnsureCapacity(int groups)
    {
        if (Distinct ? sets.Length < groups : lists.Length < groups)
        {
            var size = Grow(Distinct ? sets.Length : lists.Length, groups);
            if (Distinct)
            {
                var old = sets.Length;
                System.Array.Resize(ref sets, size);
                for (var i = old; i < size; i++)
                {
                    sets[i] = new HashSet<object>(ValueEquality.Instance);
                }
            }
            else
            {
                var old = lists.Length;
                System.Array.Resize(ref lists, size);
                for (var i = old; i < size; i++)
                {
                    lists[i] = [];
                }
            }
        }
    }

    public override void Update(IArrowArray? input, ReadOnlySpan<int> groups)
    {
        var column = input!;
        for (var i = 0; i < groups.Length; i++)
        {
            if (column.IsNull(i))
            {
                continue;
            }

            var value = Columns.GetScalar(column, i)!;
            if (Distinct)
            {
                sets[groups[i]].Add(value);
            }
            else
            {
                lists[groups[i]].Add(value);
            }
        }
    }

    public override IArrowArray Result(IReadOnlyList<int> groups) => function switch
    {
        "count_distinct" => Columns.FromScalars(LongType.Instance, groups.Select(g => (object?)(long)sets[g].Count).ToList()),
        "collect_set" => Columns.FromScalars(ResultType, groups.Select(g => (object?)sets[g].Cast<object?>().ToArray()).ToList()),
        _ => Columns.FromScalars(ResultType, groups.Select(g => (object?)lists[g].ToArray()).ToList()),
    };

    public override void Merge(int group, Accumulator other, int otherGroup)
    {
        var that = (CollectAccumulator)other;
        if (Distinct)
        {
            sets[group].UnionWith(that.sets[otherGroup]);
        }
        else
        {
            lists[group].AddRange(that.lists[otherGroup]);
        }
    }

    public override void Write(BinaryWriter writer, int group)
    {
        var items = Distinct ? sets[group].Cast<object?>().ToList() : lists[group];
        writer.Write(items.Count);
        foreach (var item in items)
        {
            ScalarCodec.Write(writer, inputType, item);
        }
    }

    public override void Read(BinaryReader reader, int group)
    {
        // A restored group replaces whatever the group held.
        if (Distinct)
        {
            sets[group].Clear();
        }
        else
        {
            lists[group].Clear();
        }

        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var item = ScalarCodec.Read(reader, inputType)!;
            if (Distinct)
            {
                sets[group].Add(item);
            }
            else
            {
                lists[group].Add(item);
            }
        }
    }

    /// <summary>Value equality for scalars, including byte arrays by content.</summary>
    private sealed class ValueEquality : IEqualityComparer<object>
    {
        public static readonly ValueEquality Instance = new();

        public new bool Equals(object? x, object? y) => x is byte[] a && y is byte[] b ? a.AsSpan().SequenceEqual(b) : object.Equals(x, y);

        public int GetHashCode(object obj)
        {
            if (obj is byte[] bytes)
            {
                var hash = new HashCode();
                hash.AddBytes(bytes);
                return hash.ToHashCode();
            }

            return obj.GetHashCode();
        }
    }
}
