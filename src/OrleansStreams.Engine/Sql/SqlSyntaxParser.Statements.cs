using OrleansStreams.Engine.Common;

namespace OrleansStreams.Engine.Sql;

// Statements: queries, CREATE VIEW / TABLE, DROP, DESCRIBE, SHOW TABLES, OPTIMIZE, VACUUM. (SET is read as raw text by SqlParser.)
internal sealed partial class SqlSyntaxParser
{
    public SqlStatement ParseStatementToEnd()
    {
        var statement = ParseStatement();
        ExpectEnd();
        return statement;
    }

    private SqlStatement ParseStatement()
    {
        if (AtWord("SELECT") || AtWord("WITH") || AtSymbol("("))
        {
            return new QueryStatement(ParseQuery());
        }

        if (AtWord("CREATE"))
        {
            return ParseCreate();
        }

        if (AtWord("DROP"))
        {
            return ParseDrop();
        }

        if (AtWord("DESCRIBE") || AtWord("DESC"))
        {
            return ParseDescribe();
        }

        if (AtWord("SHOW"))
        {
            return ParseShowTables();
        }

        if (AtWord("OPTIMIZE"))
        {
            return ParseOptimize();
        }

        if (AtWord("VACUUM"))
        {
            return ParseVacuum();
        }

        foreach (var start in new[] { "SELECT", "WITH", "'('", "CREATE", "DROP", "DESCRIBE", "SHOW", "SET", "OPTIMIZE", "VACUUM" })
        {
            Expecting(start);
        }

        throw Fail();
    }

    private SqlStatement ParseCreate()
    {
        ExpectWord("CREATE");
        bool orReplace = false, orRefresh = false;
        if (AcceptWord("OR"))
        {
            orReplace = AcceptWord("REPLACE");
            if (!orReplace)
            {
                ExpectWord("REFRESH");
                orRefresh = true;
            }
        }

        var globalToken = Current;
        var global = AcceptWord("GLOBAL");
        var temporary = AcceptWord("TEMPORARY") || AcceptWord("TEMP");
        if (global && !temporary)
        {
            throw Fail();
        }

        if (temporary || AtWord("VIEW"))
        {
            ExpectWord("VIEW");
            if (orRefresh)
            {
                throw ErrorAt(globalToken, "[PARSE_SYNTAX_ERROR] CREATE OR REFRESH is for streaming tables; use CREATE OR REPLACE for a view");
            }

            var ifNotExists = AcceptWords("IF", "NOT", "EXISTS");
            var name = ParseQualifiedName("view name");
            ExpectWord("AS");
            return new CreateViewStatement(name, ParseQuery(), orReplace, temporary, global, ifNotExists);
        }

        var streaming = AcceptWord("STREAMING");
        AcceptWord("LIVE"); // the older Delta Live Tables spelling: same meaning
        Expecting("VIEW");
        ExpectWord("TABLE");
        return ParseCreateTableRest(streaming, orRefresh, orReplace);
    }

    private CreateTableStatement ParseCreateTableRest(bool streaming, bool orRefresh, bool orReplace)
    {
        var ifNotExists = AcceptWords("IF", "NOT", "EXISTS");
        var name = ParseQualifiedName("table name");
        var columnsDdl = AtSymbol("(") ? ReadParenthesisedText() : null;
        EquatableList<string>? partitionColumns = null;
        EquatableList<SqlOption>? properties = null;
        string? comment = null, provider = null, location = null;
        while (true)
        {
            var clause = Current;
            if (AcceptWords("PARTITIONED", "BY"))
            {
                Once(partitionColumns, clause);
                partitionColumns = ParseParenthesisedIdentifiers("partition column");
            }
            else if (AcceptWord("COMMENT"))
            {
                Once(comment, clause);
                comment = ExpectString("comment string");
            }
            else if (AcceptWord("TBLPROPERTIES"))
            {
                Once(properties, clause);
                properties = ParseProperties();
            }
            else if (AcceptWord("USING"))
            {
                Once(provider, clause);
                provider = ExpectIdentifier("table format");
            }
            else if (AcceptWord("LOCATION"))
            {
                Once(location, clause);
                location = ExpectString("location string");
            }
            else
            {
                break;
            }
        }

        SqlQuery? query = null;
        if (columnsDdl is null)
        {
            ExpectWord("AS");
            query = ParseQuery();
        }
        else if (AcceptWord("AS"))
        {
            query = ParseQuery();
        }

        return new CreateTableStatement(name, query, streaming, orRefresh, orReplace, ifNotExists, columnsDdl, partitionColumns, comment, properties, provider, location);
    }

    private void Once(object? earlier, SqlToken clause)
    {
        if (earlier is not null)
        {
            throw ErrorAt(clause, $"[DUPLICATE_CLAUSES] Found duplicate clause {clause.Text.ToUpperInvariant()}");
        }
    }

    /// <summary>The text between a balanced pair of parentheses, as written (a column list for the DDL parser).</summary>
    private string ReadParenthesisedText()
    {
        var open = Advance();
        var depth = 1;
        while (true)
        {
            var token = Current;
            if (token.Kind == SqlTokenKind.End)
            {
                Expecting("')'");
                throw Fail();
            }

            Advance();
            depth += token.IsSymbol("(") ? 1 : token.IsSymbol(")") ? -1 : 0;
            if (depth == 0)
            {
                return _source[open.End..token.Start].Trim();
            }
        }
    }

    private EquatableList<string> ParseParenthesisedIdentifiers(string what)
    {
        ExpectSymbol("(");
        var names = new List<string> { ExpectIdentifier(what) };
        while (AcceptSymbol(","))
        {
            names.Add(ExpectIdentifier(what));
        }

        ExpectSymbol(")");
        return names.ToEquatableList();
    }

    /// <summary><c>('key' = 'value', delta.appendOnly = true, …)</c>; the <c>=</c> is optional, as in Spark.</summary>
    private EquatableList<SqlOption> ParseProperties()
    {
        ExpectSymbol("(");
        var properties = new List<SqlOption>();
        do
        {
            var keyToken = Current;
            var key = Current.Kind == SqlTokenKind.String ? ExpectString("property key") : ParseOptionName("property key");
            AcceptSymbol("=");
            AddOption(properties, new SqlOption(key, ParseOptionValue()), keyToken, "TBLPROPERTIES");
        }
        while (AcceptSymbol(","));

        ExpectSymbol(")");
        return properties.ToEquatableList();
    }

    private DropTableStatement ParseDrop()
    {
        ExpectWord("DROP");
        var isView = AcceptWord("VIEW");
        if (!isView)
        {
            ExpectWord("TABLE");
        }

        var ifExists = AcceptWords("IF", "EXISTS");
        return new DropTableStatement(ParseQualifiedName(isView ? "view name" : "table name"), ifExists, isView);
    }

    private DescribeStatement ParseDescribe()
    {
        Advance();
        var kind = DescribeKind.Table;
        // HISTORY/DETAIL only count as keywords when a table name follows ("DESCRIBE history" describes a table named history).
        if ((AtWord("HISTORY") || AtWord("DETAIL")) && IsIdentifier(Ahead(1)))
        {
            kind = Advance().IsWord("HISTORY") ? DescribeKind.History : DescribeKind.Detail;
        }
        else
        {
            AcceptWord("TABLE");
        }

        return new DescribeStatement(ParseQualifiedName("table name"), kind);
    }

    private ShowTablesStatement ParseShowTables()
    {
        ExpectWord("SHOW");
        ExpectWord("TABLES");
        var database = AcceptWord("FROM") || AcceptWord("IN") ? ExpectIdentifier("database name") : null;
        var hasLike = AcceptWord("LIKE");
        var pattern = hasLike || Current.Kind == SqlTokenKind.String ? ExpectString("pattern string") : null;
        return new ShowTablesStatement(database, pattern);
    }

    private OptimizeStatement ParseOptimize()
    {
        ExpectWord("OPTIMIZE");
        var table = ParseMaintainedTable();
        var where = AcceptWord("WHERE") ? ParseExpression() : null;
        if (AtWord("ZORDER"))
        {
            throw ErrorAt(Current, "[UNSUPPORTED_FEATURE] OPTIMIZE … ZORDER BY is not supported; OPTIMIZE without it bin-packs small files");
        }

        return new OptimizeStatement(table, where);
    }

    private VacuumStatement ParseVacuum()
    {
        ExpectWord("VACUUM");
        var table = ParseMaintainedTable();
        double? hours = null;
        if (AcceptWord("RETAIN"))
        {
            Expecting("number of hours");
            if (Current.Kind != SqlTokenKind.Number || !double.TryParse(Current.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var retain))
            {
                throw Fail();
            }

            Advance();
            hours = retain;
            ExpectWord("HOURS");
        }

        var dryRun = AcceptWords("DRY", "RUN");
        return new VacuumStatement(table, hours, dryRun);
    }

    public QualifiedName ParseQualifiedNameToEnd()
    {
        var name = ParseQualifiedName("table name");
        ExpectEnd();
        return name;
    }

    /// <summary>The table of OPTIMIZE or VACUUM: a name, <c>delta.`path`</c>, or a quoted path, which Delta reads as <c>delta.`path`</c>.</summary>
    private QualifiedName ParseMaintainedTable() =>
        Current.Kind == SqlTokenKind.String ? new QualifiedName("delta", ExpectString("table path")) : ParseQualifiedName("table name or path");

    /// <summary><c>name</c>, <c>db.name</c>, <c>delta.`/path`</c>: identifiers joined by dots.</summary>
    private QualifiedName ParseQualifiedName(string what)
    {
        var parts = new List<string> { ExpectIdentifier(what) };
        while (AtSymbol(".") && Ahead(1).Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            Advance();
            parts.Add(Advance().Text);
        }

        return new QualifiedName(parts.ToEquatableList());
    }

    private string ExpectString(string what)
    {
        Expecting(what);
        if (Current.Kind != SqlTokenKind.String)
        {
            throw Fail();
        }

        var value = Advance().Text;
        while (Current.Kind == SqlTokenKind.String)
        {
            value += Advance().Text; // 'a' 'b' is 'ab', as in Spark
        }

        return value;
    }
}
