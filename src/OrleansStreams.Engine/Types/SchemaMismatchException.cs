namespace OrleansStreams.Engine.Types;

/// <summary>
/// Data whose schema cannot be merged into, or written to, a table's schema: a column whose type
/// changed, or new columns written without schema merging.
/// </summary>
public sealed class SchemaMismatchException : InvalidOperationException
{
    public SchemaMismatchException(string message, IReadOnlyList<string> columns)
        : base(message)
    {
        Columns = columns;
    }

    /// <summary>The dotted paths of the columns at fault (e.g. <c>address.zip</c>).</summary>
    public IReadOnlyList<string> Columns { get; }
}
