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
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _inOrder = [];
    private readonly HashSet<string> _rawJsonKeys = new(StringComparer.Ordinal);

    /// <param name="entries">Keys and values in document order; <c>IsRawJson</c> marks a value given as JSON text (a number, boolean, null, array or object) rather than a string.</param>
    public FieldMetadata(IEnumerable<(string Key, string Value, bool IsRawJson)> entries)
    {
        foreach (var (key, value, isRawJson) in entries)
        {
            if (!_values.TryAdd(key, value))
            {
                throw new ArgumentException($"duplicate metadata key '{key}'", nameof(entries));
            }

            _inOrder.Add(new(key, value));
            if (isRawJson)
            {
                _rawJsonKeys.Add(key);
            }
        }
    }

    /// <summary>True when the value of <paramref name="key"/> is JSON text rather than a string.</summary>
    public bool IsRawJson(string key) => _rawJsonKeys.Contains(key);

    public string this[string key] => _values[key];

    public IEnumerable<string> Keys => _inOrder.Select(kv => kv.Key);

    public IEnumerable<string> Values => _inOrder.Select(kv => kv.Value);

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _inOrder.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
