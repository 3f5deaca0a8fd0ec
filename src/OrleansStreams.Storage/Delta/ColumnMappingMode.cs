namespace OrleansStreams.Storage.Delta;

/// <summary>How a table's data files name their columns (<c>delta.columnMapping.mode</c>).</summary>
public enum ColumnMappingMode
{
    /// <summary>Data files, partition values and stats use the schema's (logical) names.</summary>
    None,

    /// <summary>They use each field's <c>delta.columnMapping.physicalName</c>.</summary>
    Name,

    /// <summary>Data file columns are found by Parquet field id (<c>delta.columnMapping.id</c>); partition values and stats use physical names.</summary>
    Id,
}
