using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Casts;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Analysis;

/// <summary>What a function binder may use: the session, and helpers for casts and type errors.</summary>
public sealed class BindContext
{
    internal BindContext(SessionConfig session) => Session = session;

    public SessionConfig Session { get; }

    /// <summary>The expression cast to <paramref name="type"/> (unchanged if it already has that type).</summary>
    public BoundExpression Cast(BoundExpression expression, DataType type)
    {
        if (expression.Type.Equals(type))
        {
            return expression;
        }

        var cast = new BoundCast(expression, type, Session.Zone, expression.Sql);
        return Analyzer.Fold(cast);
    }

    /// <summary>Casts an argument implicitly to <paramref name="type"/>, or throws [DATATYPE_MISMATCH] naming the call.</summary>
    public BoundExpression Coerce(Expression call, BoundExpression argument, DataType type, int position)
    {
        if (argument.Type.Equals(type) || argument.Type is NullType)
        {
            return Cast(argument, type);
        }

        var allowed = type switch
        {
            StringType => TypeCoercion.IsAtomic(argument.Type) && argument.Type is not BinaryType,
            TimestampType => argument.Type is DateType or StringType or TimestampNtzType,
            DateType => argument.Type is StringType or TimestampType or TimestampNtzType,
            DoubleType or LongType or IntegerType => argument.Type.IsNumeric || argument.Type is StringType,
            _ => false,
        };
        if (!allowed || !CastRules.CanCast(argument.Type, type))
        {
            throw AnalysisException.Mismatch(call, $"the {Ordinal(position)} parameter requires the \"{type.SimpleString.ToUpperInvariant()}\" type, however \"{argument.Sql}\" has the type \"{argument.Type.SimpleString.ToUpperInvariant()}\".");
        }

        return Cast(argument, type);
    }

    /// <summary>The type values meeting in one column widen to (an all-NULL list gives string), or [DATATYPE_MISMATCH].</summary>
    public DataType CommonType(Expression at, IReadOnlyList<BoundExpression> values)
    {
        var type = values.Aggregate((DataType)NullType.Instance, (t, v) => TypeCoercion.Wider(t, v.Type)
            ?? throw AnalysisException.Mismatch(at, $"the input types must be compatible, however \"{t.SimpleString.ToUpperInvariant()}\" and \"{v.Type.SimpleString.ToUpperInvariant()}\" are not."));
        return type is NullType ? StringType.Instance : type;
    }

    public static string Ordinal(int position) => position switch
    {
        1 => "first",
        2 => "second",
        3 => "third",
        _ => $"{position}th",
    };
}
