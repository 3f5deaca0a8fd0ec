using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// A function callable by name. The analyzer checks the argument count, binds the arguments, then
/// asks <see cref="Bind"/> for the bound node (which checks types, inserts casts, compiles constants).
/// Add a function with one small file deriving from this class, and one line in <see cref="BuiltinFunctions"/>.
/// </summary>
public abstract class FunctionDefinition
{
    protected FunctionDefinition(string name, int minArguments, int maxArguments)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
    }

    public string Name { get; }

    public int MinArguments { get; }

    /// <summary><see cref="int.MaxValue"/> for variadic functions.</summary>
    public int MaxArguments { get; }

    /// <summary>The allowed counts as Spark words them: <c>1</c>, <c>2 or 3</c>, <c>at least 1</c>.</summary>
    public string ArityText => MaxArguments == int.MaxValue ? $"at least {MinArguments}"
        : MinArguments == MaxArguments ? $"{MinArguments}"
        : MaxArguments == MinArguments + 1 ? $"{MinArguments} or {MaxArguments}"
        : $"between {MinArguments} and {MaxArguments}";

    public abstract BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context);
}
