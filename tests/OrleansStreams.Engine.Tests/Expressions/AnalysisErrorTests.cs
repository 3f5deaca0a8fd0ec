using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

public class AnalysisErrorTests
{
    private static readonly StructType Schema = new(
        new StructField("amount", IntegerType.Instance),
        new StructField("name", StringType.Instance),
        new StructField("flag", BooleanType.Instance),
        new StructField("info", new StructType(new StructField("city", StringType.Instance))));

    private static AnalysisException Fail(Expression e) => Assert.Throws<AnalysisException>(() => Analyzer.Bind(e, Schema));

    [Fact]
    public void Unknown_column_names_it_and_suggests_close_names()
    {
        var e = Fail(Bin(BinaryOperator.Add, Col("amout"), Lit(1)));
        Assert.Equal("UNRESOLVED_COLUMN", e.ErrorClass);
        Assert.StartsWith("[UNRESOLVED_COLUMN] A column or function parameter with name `amout` cannot be resolved. Did you mean one of the following? [`amount`", e.Message);
    }

    [Fact]
    public void Unknown_nested_field()
    {
        var e = Fail(Col("info", "zip"));
        Assert.Contains("`zip`", e.Message);
        Assert.Contains("`city`", e.Message);
    }

    [Fact]
    public void Columns_resolve_case_insensitively_and_through_a_qualifier()
    {
        Assert.Equal(IntegerType.Instance, Analyzer.Bind(Col("AMOUNT"), Schema).Type);
        Assert.Equal(StringType.Instance, Analyzer.Bind(Col("t", "info", "City"), Schema).Type);
    }

    [Fact]
    public void Unknown_function_and_wrong_argument_count()
    {
        Assert.Equal("[UNRESOLVED_ROUTINE] Cannot resolve function `foo` on search path [`system`.`builtin`].", Fail(Fn("foo", Lit(1))).Message);
        Assert.Equal("[WRONG_NUM_ARGS] The `upper` requires 1 parameters but the actual number is 2.", Fail(Fn("upper", Lit("a"), Lit("b"))).Message);
        Assert.Contains("requires 2 parameters but the actual number is 1", Fail(Fn("date_format", Lit("a"))).Message);
        Assert.Contains("requires at least 1 parameters but the actual number is 0", Fail(Fn("coalesce")).Message);
    }

    [Fact]
    public void Type_mismatches_name_the_expression()
    {
        var e = Fail(Bin(BinaryOperator.Add, Col("amount"), Col("flag")));
        Assert.StartsWith("[DATATYPE_MISMATCH] Cannot resolve \"(amount + flag)\" due to data type mismatch:", e.Message);
        Assert.Contains("\"BOOLEAN\"", e.Message);
        Assert.Contains("\"(amount AND flag)\"", Fail(Bin(BinaryOperator.And, Col("amount"), Col("flag"))).Message);
        Assert.Contains("\"CASE WHEN flag THEN amount ELSE info END\"", Fail(new CaseExpression(null, L2(new WhenClause(Col("flag"), Col("amount"))), Col("info"))).Message);
        Assert.Contains("cannot cast \"BOOLEAN\" to \"DATE\"", Fail(new CastExpression(Col("flag"), DateType.Instance)).Message);
        Assert.Contains("\"(flag = info)\"", Fail(Bin(BinaryOperator.Equal, Col("flag"), Col("info"))).Message);
    }

    private static OrleansStreams.Engine.Common.EquatableList<WhenClause> L2(params WhenClause[] items) => new(items);
}
