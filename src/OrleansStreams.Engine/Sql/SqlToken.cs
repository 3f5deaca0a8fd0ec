namespace OrleansStreams.Engine.Sql;

internal enum SqlTokenKind
{
    /// <summary>A bare word: a keyword or an unquoted identifier (the parser decides which).</summary>
    Word,

    /// <summary>A back-quoted identifier; <see cref="SqlToken.Text"/> is the name without quotes.</summary>
    QuotedIdentifier,

    /// <summary>A '…' or "…" string; <see cref="SqlToken.Text"/> is the unescaped value.</summary>
    String,

    /// <summary>A number with its suffix as written (<c>1</c>, <c>1.5BD</c>, <c>1e3</c>).</summary>
    Number,

    /// <summary><c>X'0A'</c>; <see cref="SqlToken.Text"/> holds the hex digits.</summary>
    Binary,

    /// <summary>An operator or punctuation (<c>&lt;=&gt;</c>, <c>(</c>, <c>=&gt;</c>, …).</summary>
    Symbol,

    End,
}

/// <summary>One token with where it starts in the source (offsets into the whole text; line and column 1-based).</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, int Start, int End, int Line, int Column)
{
    public bool IsWord(string keyword) => Kind == SqlTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;
}
