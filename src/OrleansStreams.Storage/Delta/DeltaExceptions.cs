namespace OrleansStreams.Storage.Delta;

/// <summary>The Delta log is unreadable or a request on it cannot be served.</summary>
public class DeltaLogException : Exception
{
    public DeltaLogException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A requested table version is not in the log.</summary>
public sealed class DeltaVersionNotFoundException : DeltaLogException
{
    public DeltaVersionNotFoundException(string message)
        : base(message)
    {
    }
}

/// <summary>A table was to be created where one already exists.</summary>
public sealed class DeltaTableExistsException : DeltaLogException
{
    public DeltaTableExistsException(string message)
        : base(message)
    {
    }
}

/// <summary>A commit lost a race against a logically conflicting commit, or ran out of retries.</summary>
public sealed class DeltaConcurrencyException : DeltaLogException
{
    public DeltaConcurrencyException(string message)
        : base(message)
    {
    }
}

/// <summary>A table name is not registered in the catalog (Spark's wording).</summary>
public sealed class TableNotFoundException : DeltaLogException
{
    public TableNotFoundException(string name)
        : base($"Table or view not found: {name}") => Name = name;

    public string Name { get; }
}

/// <summary>The table needs a protocol version or table feature this project cannot read or write.</summary>
public sealed class DeltaUnsupportedFeatureException : DeltaLogException
{
    public DeltaUnsupportedFeatureException(string table, IReadOnlyList<string> features, string message)
        : base(message)
    {
        Table = table;
        Features = features;
    }

    public string Table { get; }

    /// <summary>The refused feature names; empty when the protocol version itself is too new.</summary>
    public IReadOnlyList<string> Features { get; }
}

/// <summary>A write breaks a rule of the table (append-only, a CHECK constraint, a column invariant); nothing was committed.</summary>
public sealed class DeltaWriteRefusedException : DeltaLogException
{
    public DeltaWriteRefusedException(string message)
        : base(message)
    {
    }
}
