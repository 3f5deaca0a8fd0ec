using System.Diagnostics;
using System.Globalization;

namespace OrleansStreams.Soak;

/// <summary>The soak's log: each line stamped with the seconds since the start, printed as it happens.</summary>
public sealed class SoakReport(TextWriter output)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => clock.Elapsed;

    public void Line(string text) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,7:F1} s  {text}"));
}
