namespace OrleansStreams.Storage.Parquet;

/// <summary>What a step from one node of a nested column down to the next is.</summary>
internal enum ShredStepKind
{
    /// <summary>Into field <see cref="ShredStep.Child"/> of a struct.</summary>
    Struct,

    /// <summary>Into the elements of a list (a repeated level).</summary>
    List,

    /// <summary>Into the keys (child 0) or values (child 1) of a map (a repeated level).</summary>
    Map,

    /// <summary>The leaf's own values.</summary>
    Leaf,
}

/// <summary>One node on the path from a top-level column to a leaf: its kind, and whether it may be NULL.</summary>
internal readonly record struct ShredStep(ShredStepKind Kind, bool Nullable, int Child);

/// <summary>
/// One Parquet leaf column of a top-level field: its atomic layout, its path in the schema, its maximum
/// definition and repetition levels, and the steps that reach it from the top-level Arrow column.
/// A flat column is one leaf of one <see cref="ShredStepKind.Leaf"/> step.
/// </summary>
internal sealed record ParquetLeafColumn(
    ParquetColumnLayout Layout,
    IReadOnlyList<string> Path,
    int MaxDefinitionLevel,
    int MaxRepetitionLevel,
    IReadOnlyList<ShredStep> Steps)
{
    public string DisplayPath => string.Join('.', Path);
}
