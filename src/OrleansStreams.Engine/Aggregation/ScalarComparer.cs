namespace OrleansStreams.Engine.Aggregation;

/// <summary>Orders two boxed scalars of the same type (strings by UTF-8 bytes, as Spark orders them).</summary>
internal static class ScalarComparer
{
    public static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y)),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        (IComparable x, _) => x.CompareTo(b),
        _ => throw new NotSupportedException($"cannot order {a.GetType().Name} values"),
    };
}
