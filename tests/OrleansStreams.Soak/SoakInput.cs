using System.Globalization;
using System.Text;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Soak;

/// <summary>
/// The soak's input: JSON-lines files written straight to Azurite (not through the fault proxy: the faults are the
/// pipeline's to ride out). File <c>i</c> holds the ids <c>i × rows … (i + 1) × rows − 1</c>, each with key
/// <c>k{id % 13}</c> and amount <c>id % 100</c>, so what the tables must hold follows from the number of files alone.
/// </summary>
public sealed class SoakInput(IObjectStore direct, int rowsPerFile)
{
    public const string Folder = "input";
    public const string Schema = "id LONG, key STRING, amount LONG";
    private const int Keys = 13;

    public int Files { get; private set; }

    public long Rows => (long)Files * rowsPerFile;

    public async Task WriteNextAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var first = (long)Files * rowsPerFile;
        for (var id = first; id < first + rowsPerFile; id++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"id\":{id},\"key\":\"{Key(id)}\",\"amount\":{Amount(id)}}}\n");
        }

        await direct.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{Folder}/part-{Files:D6}.json"), Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        Files++;
    }

    /// <summary>What the per-key totals must be: (key, rows, sum of amount) in key order.</summary>
    public SortedDictionary<string, (long Count, long Sum)> ExpectedTotals()
    {
        var totals = new SortedDictionary<string, (long Count, long Sum)>(StringComparer.Ordinal);
        for (var id = 0L; id < Rows; id++)
        {
            totals[Key(id)] = totals.TryGetValue(Key(id), out var t) ? (t.Count + 1, t.Sum + Amount(id)) : (1, Amount(id));
        }

        return totals;
    }

    private static string Key(long id) => string.Create(CultureInfo.InvariantCulture, $"k{id % Keys}");

    private static long Amount(long id) => id % 100;
}
