namespace OrleansStreams.Engine.Types;

internal enum DdlTokenKind
{
    /// <summary>A bare run of letters, digits and underscores: a name, a keyword or a number.</summary>
    Word,

    /// <summary>A back-quoted identifier; <see cref="DdlToken.Value"/> has the quotes removed.</summary>
    QuotedIdentifier,

    /// <summary>A single- or double-quoted string; <see cref="DdlToken.Value"/> is unescaped.</summary>
    String,

    /// <summary>One of <c>&lt; &gt; ( ) , :</c>.</summary>
    Symbol,

    End,
}

/// <param name="Position">0-based offset of the token's first character in the parsed text.</param>
internal readonly record struct DdlToken(DdlTokenKind Kind, string Value, int Position)
{
    public bool IsWord(string word) => Kind == DdlTokenKind.Word && string.Equals(Value, word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(char symbol) => Kind == DdlTokenKind.Symbol && Value.Length == 1 && Value[0] == symbol;

    /// <summary>How an error message names this token.</summary>
    public string Describe() => Kind switch
    {
        DdlTokenKind.End => "end of input",
        DdlTokenKind.Symbol => $"'{Value}'",
        DdlTokenKind.QuotedIdentifier => $"identifier `{Value}`",
        DdlTokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };
}
