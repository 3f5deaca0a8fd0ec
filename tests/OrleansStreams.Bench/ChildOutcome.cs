using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// How a watched child ended: its figures when it wrote them, or why it failed (an OOM, a crash, a timeout),
/// with the peak resident set seen from outside and its wall time from process start to exit.
/// </summary>
internal sealed record ChildOutcome(JsonObject? Figures, string? Failure, long SampledPeakResidentMb, double WallSeconds, int? ExitCode)
{
    /// <summary>The peak resident set: the child's own VmHWM when it reported one, else the last sample.</summary>
    public long PeakResidentMb => Math.Max(SampledPeakResidentMb, Figures?["peakWorkingSetMb"]?.GetValue<long>() ?? 0);
}
