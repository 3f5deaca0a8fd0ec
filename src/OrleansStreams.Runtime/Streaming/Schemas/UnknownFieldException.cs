namespace OrleansStreams.Runtime.Streaming.Schemas;

/// <summary>
/// A batch's files hold fields the source's schema lacks (Spark's UnknownFieldException). With
/// addNewColumns the widened schema is already recorded (<see cref="SchemaEvolved"/>): a restart goes on
/// with it, re-reading the batch; with failOnNewColumns the schema is left as it is.
/// </summary>
public sealed class UnknownFieldException(string message, IReadOnlyList<string> fields, bool schemaEvolved) : Exception(message)
{
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>Whether the new schema was written, so restarting the query picks the fields up.</summary>
    public bool SchemaEvolved { get; } = schemaEvolved;
}
