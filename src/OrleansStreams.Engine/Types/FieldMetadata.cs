using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OrleansStreams.Engine.Types;

/// <summary>
/// Field metadata read from Delta schema JSON. Every value is a string to its readers; values that
/// were not JSON strings (numbers, booleans, objects, e.g. <c>delta.columnMapping.id</c>) hold their
/// raw JSON text and are remembered as such, so <see cref="SchemaJson.Serialize"/> writes them back
/// as the same JSON rather than as strings.
/// </summary>
public sealed class FieldMetadata : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _rawJsonKeys;

    /// <param name="strings">Values that are JSON strings.</param>
    /// <param name="rawJson">Values given as JSON text (a number, boolean, null, array or object).</param>
    public FieldMetadata(IEnumerable<KeyValuePair<string, string>> strings, IEnumerable<KeyValuePair<string, string>>? rawJson = null)
    {
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        _rawJsonKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in strings)
        {
            Add(key, value);
        }

        foreach (var (key, value) in rawJson ?? [])
        {
            Add(key, value);
            _rawJsonKeys.Add(key);
        }
    }

    /// <summary>True when the value of <paramref name="key"/> is JSON text rather than a string.</summary>
    public bool IsRawJson(string key) => _rawJsonKeys.Contains(key);

    private void Add(string key, string value)
    {
        if (!_values.TryAdd(key, value))
        {
            throw new ArgumentException($"duplicate metadata key '{key}'", nameof(key));
        }
    }

    public string this[string key] => _values[key];

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<string> Values => _values.Values;

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
