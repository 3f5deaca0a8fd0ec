using Apache.Arrow;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Rows <see cref="Start"/> to <see cref="Start"/> + <see cref="Count"/> of one Arrow column: a data page is a run of
/// these, so a row group's batches are encoded where they lie instead of being joined into one column first.
/// </summary>
internal readonly record struct ColumnSegment(IArrowArray Column, int Start, int Count);
