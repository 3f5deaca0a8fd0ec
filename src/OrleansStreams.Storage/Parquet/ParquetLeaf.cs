using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// One leaf column of a row group as Parquet stores it: definition and repetition levels per entry,
/// and the dense non-null values. <see cref="DenseIndex"/> maps an entry to its value.
/// </summary>
internal sealed class ParquetLeaf
{
    public ParquetLeaf(PqSchema.DataField field, int[] definitions, int[] repetitions, object values)
    {
        Field = field;
        Definitions = definitions;
        Repetitions = repetitions;
        Values = values;
        DenseIndex = new int[definitions.Length];
        var next = 0;
        for (var e = 0; e < definitions.Length; e++)
        {
            DenseIndex[e] = next;
            if (definitions[e] == field.MaxDefinitionLevel)
            {
                next++;
            }
        }
    }

    public PqSchema.DataField Field { get; }

    /// <summary>Per entry; all zero-length when the column is required and flat (every entry defined).</summary>
    public int[] Definitions { get; }

    /// <summary>Per entry; empty when the column is not inside a list or map.</summary>
    public int[] Repetitions { get; }

    /// <summary>The non-null values, typed (int[], long[], DateTime[], UTF-8 ReadOnlyMemory&lt;byte&gt;[], <see cref="UnscaledDecimals"/>, …).</summary>
    public object Values { get; }

    public int[] DenseIndex { get; }

    public int EntryCount => Definitions.Length;

    public bool IsDefined(int entry) => Definitions[entry] == Field.MaxDefinitionLevel;

    /// <summary>The entries where a new top-level row starts.</summary>
    public int[] RowStarts()
    {
        if (Repetitions.Length == 0)
        {
            return Enumerable.Range(0, EntryCount).ToArray();
        }

        var starts = new List<int>();
        for (var e = 0; e < Repetitions.Length; e++)
        {
            if (Repetitions[e] == 0)
            {
                starts.Add(e);
            }
        }

        return starts.ToArray();
    }
}
