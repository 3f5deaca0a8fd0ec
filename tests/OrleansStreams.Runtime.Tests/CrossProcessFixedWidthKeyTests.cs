using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The grouped aggregation of <see cref="CrossProcessAggregationTests"/> keyed by long, double, decimal, date and
/// timestamp columns, each run as five processes in a row with new input before each.
/// </summary>
public sealed class CrossProcessFixedWidthKeyTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-fixed-keys");

    public void Dispose() => temp.Dispose();

    [Fact]
    public Task Long_keys_stay_exact_across_processesAsync() => CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-long", "l", "l");

    [Fact]
    public Task Double_keys_stay_exact_across_processesAsync() => CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-double", "d", "d");

    [Fact]
    public Task Decimal_keys_stay_exact_across_processesAsync() => CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-decimal", "m", "m");

    [Fact]
    public Task Date_keys_stay_exact_across_processesAsync() => CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-date", "dt", "dt");

    [Fact]
    public Task Timestamp_keys_stay_exact_across_processesAsync() => CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-timestamp", "t", "t");
}
