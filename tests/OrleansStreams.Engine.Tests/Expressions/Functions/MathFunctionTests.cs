using static OrleansStreams.Engine.Tests.Expressions.Functions.FunctionTestKit;

namespace OrleansStreams.Engine.Tests.Expressions.Functions;

public class MathFunctionTests
{
    [Fact]
    public void Round_is_half_up_for_doubles_decimals_and_integers()
    {
        Assert.Equal(3.0, Eval("round(2.5D)"));
        Assert.Equal(-3.0, Eval("round(-2.5D)"));
        Assert.Equal(1.01, Eval("round(1.005D, 2)"));
        Assert.Equal(1.13m, Eval("round(CAST(1.125 AS DECIMAL(10,3)), 2)"));
        Assert.Equal(1200, Eval("round(1234, -2)"));
        Assert.Equal(1234L, Eval("round(1234L)"));
        Assert.Null(Eval("round(CAST(NULL AS DOUBLE), 1)"));
    }

    [Fact]
    public void Floor_and_ceil_return_longs_for_floating_and_decimals_keep_decimal()
    {
        Assert.Equal(-3L, Eval("floor(-2.5D)"));
        Assert.Equal(3L, Eval("ceil(2.1D)"));
        Assert.Equal(3L, Eval("ceiling(3)"));
        Assert.Equal(2m, Eval("floor(CAST(2.7 AS DECIMAL(5,1)))"));
        Assert.Equal(3m, Eval("ceil(CAST(2.1 AS DECIMAL(5,1)))"));
    }

    [Fact]
    public void Greatest_and_least_skip_nulls_and_widen()
    {
        Assert.Equal(3.5, Eval("greatest(1, 3.5D, NULL, 2)"));
        Assert.Equal(1.0, Eval("least(1, 3.5D, NULL, 2)"));
        Assert.Equal("b", Eval("greatest('a', 'b', NULL)"));
        Assert.Null(Eval("greatest(CAST(NULL AS INT), NULL)"));
        Assert.Throws<Engine.Expressions.Analysis.AnalysisException>(() => Eval("greatest(1, TRUE)"));
    }
}
