namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>The functions every registry starts with: one line per function.</summary>
internal static class BuiltinFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        .. DateTimeFunctions.All(),
        .. MathFunctions.All(),
        .. StringFunctions.All(),
        .. CollectionFunctions.All(),
        .. JsonFunctions.All(),
        .. HashFunctions.All(),
        new CoalesceFunction(),
        new NullIfFunction(),
        new UpperFunction("upper"),
        new UpperFunction("ucase"),
        new LowerFunction("lower"),
        new LowerFunction("lcase"),
        new LengthFunction("length"),
        new LengthFunction("char_length"),
        new LengthFunction("character_length"),
        new AbsFunction(),
        new ConcatFunction(),
        new DateFormatFunction(),
    ];
}
