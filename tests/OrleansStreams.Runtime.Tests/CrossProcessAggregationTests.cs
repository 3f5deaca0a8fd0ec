using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A grouped aggregation in complete mode (see <see cref="CountsPerKey"/>) keyed by strings, bytes, structs and
/// strings with NULLs, run as five or more processes in a row on one checkpoint with new input before each: each key
/// must come out once with the totals DuckDB computes over all the input. A key routed to another partition in a
/// new process would leave its old state behind and appear twice. Fixed-width keys: <see cref="CrossProcessFixedWidthKeyTests"/>.
/// </summary>
public sealed class CrossProcessAggregationTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-aggregation");

    public void Dispose() => temp.Dispose();

    [Fact]
    public Task String_keys_stay_exact_across_processes_and_killsAsync() =>
        CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-string", "k", "k", killRounds: [1, 3]);

    [Fact]
    public Task Binary_keys_stay_exact_across_processesAsync() =>
        CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-binary", "hex(b)", "hex(from_base64(b))");

    [Fact]
    public Task Struct_keys_stay_exact_across_processesAsync() =>
        CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-struct", "s", "s");

    [Fact]
    public Task Null_and_string_keys_stay_exact_across_processes_and_killsAsync() =>
        CountsPerKey.AssertExactAcrossProcessesAsync(temp, "grouped-nullable-string", "nk", "nk", killRounds: [2]);
}
