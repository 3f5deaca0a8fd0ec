namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>Functions by name, case-insensitive. <see cref="Default"/> holds the built-ins.</summary>
public sealed class FunctionRegistry
{
    private readonly Dictionary<string, FunctionDefinition> _functions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in functions (shared, read-only use); copy with <see cref="CreateDefault"/> to add your own.</summary>
    public static FunctionRegistry Default { get; } = CreateDefault();

    public static FunctionRegistry CreateDefault()
    {
        var registry = new FunctionRegistry();
        foreach (var function in BuiltinFunctions.All())
        {
            registry.Register(function);
        }

        return registry;
    }

    /// <summary>Adds a function under its name and any aliases; a name already taken is replaced.</summary>
    public FunctionRegistry Register(FunctionDefinition function, params string[] aliases)
    {
        _functions[function.Name] = function;
        foreach (var alias in aliases)
        {
            _functions[alias] = function;
        }

        return this;
    }

    public bool TryGet(string name, out FunctionDefinition function) => _functions.TryGetValue(name, out function!);

    public IEnumerable<string> Names => _functions.Keys;
}
