using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>What the figures were measured on.</summary>
internal static class MachineInfo
{
    public static JsonObject Describe() => new()
    {
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["os"] = RuntimeInformation.OSDescription,
        ["cpu"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["cores"] = Environment.ProcessorCount,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["memoryGb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
    };
}
