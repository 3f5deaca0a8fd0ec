using System.Diagnostics.CodeAnalysis;
using OrleansStreams.Runtime.TestHost.Scenarios;

namespace OrleansStreams.Runtime.TestHost;

/// <summary>The scenarios by the name the tests pass as the first argument.</summary>
internal static class ScenarioCatalog
{
    private static readonly Dictionary<string, IScenario> Scenarios = new(StringComparer.Ordinal)
    {
        ["bronze"] = new BronzeIngest(maxFilesPerTrigger: 1),
        ["backlog"] = new BronzeIngest(maxFilesPerTrigger: null),
        ["grouped-string"] = new GroupedCounts("k"),
        ["grouped-binary"] = new GroupedCounts("b"),
        ["grouped-long"] = new GroupedCounts("l"),
        ["grouped-double"] = new GroupedCounts("d"),
        ["grouped-decimal"] = new GroupedCounts("m"),
        ["grouped-date"] = new GroupedCounts("dt"),
        ["grouped-timestamp"] = new GroupedCounts("t"),
        ["grouped-struct"] = new GroupedCounts("s"),
        ["grouped-nullable-string"] = new GroupedCounts("nk"),
        ["updated-by-batch"] = new UpdatedCountsByBatch(),
        ["windowed"] = new WindowedCounts(),
        ["deduplicated"] = new DeduplicatedEvents(),
        ["stream-static-join"] = new StreamStaticJoin(),
        ["approx-distinct"] = new ApproxDistinctPerKey(),
        ["collect-set"] = new CollectSetPerKey(),
    };

    public static IEnumerable<string> Names => Scenarios.Keys;

    public static bool TryFind(string name, [NotNullWhen(true)] out IScenario? scenario) => Scenarios.TryGetValue(name, out scenario);
}
