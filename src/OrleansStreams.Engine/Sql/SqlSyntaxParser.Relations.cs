using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Sql;

// FROM clauses: tables, path tables, read_files, STREAM, subqueries, joins, time travel.
internal sealed partial class SqlSyntaxParser
{
    private Relation ParseFrom()
    {
        var left = ParseRelation();
        while (true)
        {
            if (AcceptSymbol(","))
            {
                left = new JoinRelation(left, ParseRelation(), JoinType.Cross);
                continue;
            }

            if (ParseJoinType() is not { } type)
            {
                return left;
            }

            var right = ParseRelation();
            if (type != JoinType.Cross && AcceptWord("ON"))
            {
                left = new JoinRelation(left, right, type, ParseExpression());
            }
            else if (type != JoinType.Cross && AcceptWord("USING"))
            {
                left = new JoinRelation(left, right, type, UsingColumns: ParseParenthesisedIdentifiers("column name"));
            }
            else
            {
                left = new JoinRelation(left, right, type);
            }
        }
    }

    /// <summary>The join keywords, or null when no join follows. Only "JOIN" is listed as expected, to keep errors short.</summary>
    private JoinType? ParseJoinType()
    {
        if (AcceptWord("JOIN"))
        {
            return JoinType.Inner;
        }

        JoinType type;
        if (AtWord("INNER"))
        {
            type = JoinType.Inner;
        }
        else if (AtWord("CROSS"))
        {
            type = JoinType.Cross;
        }
        else if (AtWord("LEFT"))
        {
            Advance();
            type = AtWord("SEMI") ? JoinType.LeftSemi : AtWord("ANTI") ? JoinType.LeftAnti : JoinType.LeftOuter;
            if (type != JoinType.LeftOuter || AtWord("OUTER"))
            {
                Advance();
            }

            ExpectWord("JOIN");
            return type;
        }
        else if (AtWord("RIGHT"))
        {
            type = JoinType.RightOuter;
        }
        else if (AtWord("FULL"))
        {
            type = JoinType.FullOuter;
        }
        else
        {
            return null;
        }

        Advance();
        if (type is JoinType.RightOuter or JoinType.FullOuter)
        {
            AcceptWord("OUTER");
        }

        ExpectWord("JOIN");
        return type;
    }

    private Relation ParseRelation()
    {
        Relation relation;
        if (AtWord("STREAM") && (Ahead(1).IsSymbol("(") || IsIdentifier(Ahead(1))))
        {
            Advance();
            if (AcceptSymbol("("))
            {
                relation = ParseNamedRelation(streaming: true);
                ExpectSymbol(")");
            }
            else
            {
                relation = ParseNamedRelation(streaming: true);
            }
        }
        else if (AcceptSymbol("("))
        {
            relation = new SubqueryRelation(ParseQuery());
            ExpectSymbol(")");
        }
        else
        {
            relation = ParseNamedRelation(streaming: false);
        }

        if (ParseOptionalAlias() is not { } alias)
        {
            return relation;
        }

        return relation switch
        {
            TableRelation t => t with { Alias = alias },
            PathRelation p => p with { Alias = alias },
            ReadFilesRelation r => r with { Alias = alias },
            SubqueryRelation s => s with { Alias = alias },
            _ => relation,
        };
    }

    /// <summary>A table, a path table or <c>read_files(…)</c>, with optional time travel for tables.</summary>
    private Relation ParseNamedRelation(bool streaming)
    {
        var nameToken = Current;
        var name = ParseQualifiedName("table name");
        if (AtSymbol("("))
        {
            if (name.Parts.Count == 1 && string.Equals(name.Name, "read_files", StringComparison.OrdinalIgnoreCase))
            {
                return ParseReadFiles(streaming);
            }

            throw ErrorAt(nameToken, $"[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Table-valued function '{name}' is not supported; read_files is");
        }

        var timeTravel = ParseTimeTravel();
        return name.TryGetPath(out var format, out var path)
            ? new PathRelation(format, path, Streaming: streaming, TimeTravel: timeTravel)
            : new TableRelation(name, Streaming: streaming, TimeTravel: timeTravel);
    }

    private TimeTravel? ParseTimeTravel()
    {
        if (AtWord("VERSION") && Ahead(1).IsWord("AS"))
        {
            Advance();
            Advance();
            ExpectWord("OF");
            Expecting("version number");
            var token = Current;
            if (token.Kind != SqlTokenKind.Number)
            {
                throw Fail();
            }

            Advance();
            return long.TryParse(token.Text, out var version) && version >= 0
                ? new TimeTravel(version, null)
                : throw ErrorAt(token, $"[INVALID_TIME_TRAVEL_SPEC] The version must be a non-negative integer, found {token.Text}");
        }

        if (AtWord("TIMESTAMP") && Ahead(1).IsWord("AS"))
        {
            Advance();
            Advance();
            ExpectWord("OF");
            return new TimeTravel(null, ExpectString("timestamp string"));
        }

        // t@v3: Delta's short form of VERSION AS OF 3.
        if (AtSymbol("@"))
        {
            Advance();
            var token = Current;
            if (token.Kind == SqlTokenKind.Word && token.Text.Length > 1 && token.Text[0] is 'v' or 'V'
                && long.TryParse(token.Text.AsSpan(1), out var version) && version >= 0)
            {
                Advance();
                return new TimeTravel(version, null);
            }

            Expecting("version (e.g. v3)");
            throw Fail();
        }

        return null;
    }

    /// <summary><c>read_files('path', key =&gt; value, …)</c>; keys may be dotted (<c>cloudFiles.maxFilesPerTrigger</c>).</summary>
    private ReadFilesRelation ParseReadFiles(bool streaming)
    {
        ExpectSymbol("(");
        var path = ExpectString("path string");
        var options = new List<SqlOption>();
        while (AcceptSymbol(","))
        {
            var keyToken = Current;
            var key = ParseOptionName("option name");
            ExpectSymbol("=>");
            AddOption(options, new SqlOption(key, ParseOptionValue()), keyToken, "read_files");
        }

        ExpectSymbol(")");
        return new ReadFilesRelation(path, options.ToEquatableList(), Streaming: streaming);
    }

    private void AddOption(List<SqlOption> options, SqlOption option, SqlToken keyToken, string where)
    {
        if (options.Any(o => string.Equals(o.Key, option.Key, StringComparison.OrdinalIgnoreCase)))
        {
            throw ErrorAt(keyToken, $"[DUPLICATE_KEY] Option '{option.Key}' is given more than once in {where}");
        }

        options.Add(option);
    }

    /// <summary>An option name: words (any, even keywords like <c>format</c>) or back-quoted names joined by dots.</summary>
    private string ParseOptionName(string what)
    {
        Expecting(what);
        if (Current.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
        {
            throw Fail();
        }

        var name = Advance().Text;
        while (AtSymbol(".") && Ahead(1).Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            Advance();
            name += "." + Advance().Text;
        }

        return name;
    }

    /// <summary>An option value as text: a string, a (possibly negative) number, or true/false.</summary>
    private string ParseOptionValue()
    {
        if (Current.Kind == SqlTokenKind.String)
        {
            return ExpectString("option value");
        }

        if (Current.Kind == SqlTokenKind.Number || (AtSymbol("-") && Ahead(1).Kind == SqlTokenKind.Number))
        {
            var sign = AtSymbol("-") ? Advance().Text : string.Empty;
            return sign + Advance().Text;
        }

        if (AtWord("TRUE") || AtWord("FALSE"))
        {
            return Advance().Text.ToLowerInvariant();
        }

        Expecting("option value (string, number or boolean)");
        throw Fail();
    }
}
