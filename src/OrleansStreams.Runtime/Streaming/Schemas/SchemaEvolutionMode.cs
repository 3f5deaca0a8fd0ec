namespace OrleansStreams.Runtime.Streaming.Schemas;

/// <summary>What Auto Loader does when files hold columns its schema lacks (<c>cloudFiles.schemaEvolutionMode</c>).</summary>
public enum SchemaEvolutionMode
{
    /// <summary>The default with an inferred schema: record the widened schema as the next version, then fail the stream with <see cref="UnknownFieldException"/>; a restart goes on with it.</summary>
    AddNewColumns,

    /// <summary>Never evolve and never fail: unknown columns go to the rescued data column.</summary>
    Rescue,

    /// <summary>Fail the stream and keep the schema as it is.</summary>
    FailOnNewColumns,

    /// <summary>The default with a given schema: ignore new columns (rescued only when rescuedDataColumn is set).</summary>
    None,
}
