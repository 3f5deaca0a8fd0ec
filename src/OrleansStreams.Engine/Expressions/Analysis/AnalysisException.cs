namespace OrleansStreams.Engine.Expressions.Analysis;

/// <summary>
/// An expression that cannot be resolved or type-checked. Messages follow Spark's error classes
/// (<c>[UNRESOLVED_COLUMN]</c>, <c>[DATATYPE_MISMATCH]</c> …) and name the expression at fault.
/// </summary>
public sealed class AnalysisException : Exception
{
    public AnalysisException(string errorClass, string message, Expression? expression = null)
        : base($"[{errorClass}] {message}")
    {
        ErrorClass = errorClass;
        Expression = expression;
    }

    public AnalysisException()
        : this("INTERNAL_ERROR", "analysis failed")
    {
    }

    public AnalysisException(string message)
        : this("INTERNAL_ERROR", message)
    {
    }

    public AnalysisException(string message, Exception innerException)
        : base(message, innerException) => ErrorClass = "INTERNAL_ERROR";

    /// <summary>Spark's error class, e.g. <c>UNRESOLVED_COLUMN</c>.</summary>
    public string ErrorClass { get; }

    public Expression? Expression { get; }

    /// <summary>[DATATYPE_MISMATCH] for an expression whose inputs have the wrong types.</summary>
    public static AnalysisException Mismatch(Expression expression, string reason) =>
        new("DATATYPE_MISMATCH", $"Cannot resolve \"{expression.Sql}\" due to data type mismatch: {reason}", expression);
}
