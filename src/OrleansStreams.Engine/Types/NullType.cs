namespace OrleansStreams.Engine.Types;

/// <summary>The type of an untyped <c>NULL</c> literal (Spark's <c>void</c>); it widens to any type.</summary>
public sealed record NullType : DataType
{
    public static readonly NullType Instance = new();
    public override string SimpleString => "void";
}
