using System.Globalization;

namespace OrleansStreams.Engine.Types;

/// <summary>
/// Reads Spark DDL: schemas such as <c>key BINARY, value STRING NOT NULL COMMENT 'payload'</c>
/// (what <c>StructType.fromDDL</c> accepts) and single types such as
/// <c>array&lt;struct&lt;a:int,b:string&gt;&gt;</c>. Type names are case-insensitive; a colon between a
/// field name and its type is optional. Errors are <see cref="SchemaParseException"/>s that give
/// the position, what was expected and what was found.
/// </summary>
public static class DdlParser
{
    /// <summary>Parses a comma-separated list of fields, or a whole <c>struct&lt;…&gt;</c> type. An empty string is an empty schema.</summary>
    public static StructType ParseSchema(string ddl)
    {
        ArgumentNullException.ThrowIfNull(ddl);
        var parser = new Parser(ddl, "schema");
        return parser.ParseSchema();
    }

    /// <summary>Parses one data type, e.g. <c>map&lt;string,bigint&gt;</c> or <c>decimal(10,2)</c>.</summary>
    public static DataType ParseType(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text, "data type");
        return parser.ParseSingleType();
    }

    /// <summary>Recursive descent over the token list; one instance per parse.</summary>
    private sealed class Parser(string text, string what)
    {
        private readonly List<DdlToken> _tokens = DdlTokenizer.Tokenize(text, what);
        private int _next;

        private DdlToken Peek(int ahead = 0) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

        private DdlToken Take()
        {
            var token = Peek();
            if (token.Kind != DdlTokenKind.End)
            {
                _next++;
            }

            return token;
        }

        public StructType ParseSchema()
        {
            if (Peek().Kind == DdlTokenKind.End)
            {
                return StructType.Empty;
            }

            // Like Spark's fromDDL, a whole "struct<…>" type is also a schema.
            if (Peek().IsWord("struct") && Peek(1).IsSymbol('<'))
            {
                var type = (StructType)ParseDataType();
                ExpectEnd("end of input");
                return type;
            }

            var fields = ParseFields(terminator: null);
            ExpectEnd("',' or end of input");
            return fields;
        }

        public DataType ParseSingleType()
        {
            var type = ParseDataType();
            ExpectEnd("end of input");
            return type;
        }

        private void ExpectEnd(string expected)
        {
            if (Peek().Kind != DdlTokenKind.End)
            {
                throw DdlErrors.Expected(text, what, expected, Peek());
            }
        }

        /// <summary>Fields separated by commas, up to (not including) the terminator ('>' in a struct, end of input at the top).</summary>
        private StructType ParseFields(char? terminator)
        {
            var fields = new List<StructField>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                var nameToken = Peek();
                var field = ParseField(terminator);
                if (!names.Add(field.Name))
                {
                    throw DdlErrors.Invalid(text, what, nameToken.Position, $"duplicate field name '{field.Name}'");
                }

                fields.Add(field);
                if (!Peek().IsSymbol(','))
                {
                    return new StructType(fields);
                }

                Take();
            }
        }

        /// <summary><c>name [:] type [NOT NULL] [COMMENT 'text']</c>, the two options in either order.</summary>
        private StructField ParseField(char? terminator)
        {
            var nameToken = Take();
            if (nameToken.Kind is not (DdlTokenKind.Word or DdlTokenKind.QuotedIdentifier))
            {
                throw DdlErrors.Expected(text, what, "a field name", nameToken);
            }

            if (Peek().IsSymbol(':'))
            {
                Take();
            }

            var type = ParseDataType();
            var nullable = true;
            string? comment = null;
            while (true)
            {
                if (nullable && Peek().IsWord("not"))
                {
                    Take();
                    var nullToken = Take();
                    if (!nullToken.IsWord("null"))
                    {
                        throw DdlErrors.Expected(text, what, "NULL after NOT", nullToken);
                    }

                    nullable = false;
                }
                else if (comment is null && Peek().IsWord("comment"))
                {
                    Take();
                    var commentToken = Take();
                    if (commentToken.Kind != DdlTokenKind.String)
                    {
                        throw DdlErrors.Expected(text, what, "a quoted comment after COMMENT", commentToken);
                    }

                    comment = commentToken.Value;
                }
                else
                {
                    break;
                }
            }

            var next = Peek();
            var atFieldEnd = next.IsSymbol(',') || (terminator is { } t ? next.IsSymbol(t) : next.Kind == DdlTokenKind.End);
            if (!atFieldEnd)
            {
                var options = new List<string> { "','" };
                if (nullable)
                {
                    options.Add("NOT NULL");
                }

                if (comment is null)
                {
                    options.Add("COMMENT");
                }

                options.Add(terminator is { } close ? $"'{close}'" : "end of input");
                var expected = $"{string.Join(", ", options[..^1])} or {options[^1]}";
                throw DdlErrors.Expected(text, what, expected, next);
            }

            var metadata = comment is null ? null : new Dictionary<string, string> { ["comment"] = comment };
            return new StructField(nameToken.Value, type, nullable, metadata);
        }

        private DataType ParseDataType()
        {
            var token = Take();
            if (token.Kind != DdlTokenKind.Word)
            {
                throw DdlErrors.Expected(text, what, "a data type", token);
            }

            switch (token.Value.ToLowerInvariant())
            {
                case "string": return StringType.Instance;
                case "char" or "varchar":
                    ParseLength(token);
                    return StringType.Instance;
                case "binary": return BinaryType.Instance;
                case "boolean" or "bool": return BooleanType.Instance;
                case "byte" or "tinyint": return ByteType.Instance;
                case "short" or "smallint": return ShortType.Instance;
                case "int" or "integer": return IntegerType.Instance;
                case "long" or "bigint": return LongType.Instance;
                case "float" or "real": return FloatType.Instance;
                case "double": return DoubleType.Instance;
                case "date": return DateType.Instance;
                case "timestamp" or "timestamp_ltz": return TimestampType.Instance;
                case "timestamp_ntz": return TimestampNtzType.Instance;
                case "void": return NullType.Instance;
                case "decimal" or "dec" or "numeric": return ParseDecimal();
                case "array":
                    {
                        Expect('<');
                        var element = ParseDataType();
                        Expect('>');
                        return new ArrayType(element);
                    }

                case "map":
                    {
                        Expect('<');
                        var key = ParseDataType();
                        Expect(',');
                        var value = ParseDataType();
                        Expect('>');
                        return new MapType(key, value);
                    }

                case "struct":
                    {
                        Expect('<');
                        if (Peek().IsSymbol('>'))
                        {
                            Take();
                            return StructType.Empty;
                        }

                        var fields = ParseFields(terminator: '>');
                        Expect('>');
                        return fields;
                    }

                default:
                    throw DdlErrors.Syntax(text, what, token.Position, $"expected a data type but found unknown type '{token.Value}'");
            }
        }

        /// <summary><c>decimal</c>, <c>decimal(p)</c> or <c>decimal(p, s)</c>; bare decimal is Spark's decimal(10,0).</summary>
        private DecimalType ParseDecimal()
        {
            if (!Peek().IsSymbol('('))
            {
                return DecimalType.Default;
            }

            Take();
            var precisionToken = Peek();
            var precision = ParseNumber("a decimal precision");
            var scaleToken = precisionToken;
            var scale = 0;
            if (Peek().IsSymbol(','))
            {
                Take();
                scaleToken = Peek();
                scale = ParseNumber("a decimal scale");
            }

            Expect(')');
            if (precision is < 1 or > DecimalType.MaxPrecision)
            {
                throw DdlErrors.Invalid(text, what, precisionToken.Position, $"decimal precision {precision} is outside 1 to {DecimalType.MaxPrecision}");
            }

            if (scale > precision)
            {
                throw DdlErrors.Invalid(text, what, scaleToken.Position, $"decimal scale {scale} is larger than the precision {precision}");
            }

            return new DecimalType(precision, scale);
        }

        /// <summary>The <c>(n)</c> of char/varchar, which Spark requires; the value is a plain string either way.</summary>
        private void ParseLength(DdlToken typeToken)
        {
            if (!Peek().IsSymbol('('))
            {
                throw DdlErrors.Expected(text, what, $"a length in parentheses after {typeToken.Value.ToUpperInvariant()}", Peek());
            }

            Take();
            var lengthToken = Peek();
            if (ParseNumber("a length") < 1)
            {
                throw DdlErrors.Invalid(text, what, lengthToken.Position, $"{typeToken.Value.ToUpperInvariant()} length must be at least 1");
            }

            Expect(')');
        }

        private int ParseNumber(string expected)
        {
            var token = Take();
            if (token.Kind != DdlTokenKind.Word || !token.Value.All(char.IsAsciiDigit)
                || !int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw DdlErrors.Expected(text, what, expected, token);
            }

            return number;
        }

        private void Expect(char symbol)
        {
            var token = Take();
            if (!token.IsSymbol(symbol))
            {
                throw DdlErrors.Expected(text, what, $"'{symbol}'", token);
            }
        }
    }
}
