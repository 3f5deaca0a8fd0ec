namespace OrleansStreams.Engine.Common;

/// <summary>Floating-point values as Spark compares them as keys (grouping, hashing): -0.0 is 0.0, and every NaN is one NaN.</summary>
public static class FloatKeys
{
    public static double Normalize(double value) => double.IsNaN(value) ? double.NaN : value == 0 ? 0.0 : value;

    public static float Normalize(float value) => float.IsNaN(value) ? float.NaN : value == 0 ? 0f : value;
}
