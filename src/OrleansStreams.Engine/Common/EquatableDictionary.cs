using System.Collections;

namespace OrleansStreams.Engine.Common;

/// <summary>
/// Read-only string options with value equality and case-insensitive keys (Spark's option
/// keys are case-insensitive). Keys keep the spelling they were given, for error messages.
/// </summary>
public sealed class EquatableDictionary : IReadOnlyDictionary<string, string>, IEquatable<EquatableDictionary>
{
    private readonly Dictionary<string, string> _items;

    public EquatableDictionary(IEnumerable<KeyValuePair<string, string>> items)
    {
        _items = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in items)
        {
            _items[key] = value;
        }
    }

    public static readonly EquatableDictionary Empty = new(Array.Empty<KeyValuePair<string, string>>());

    public string this[string key] => _items[key];

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<string> Values => _items.Values;

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _items.TryGetValue(key, out value);

    public string? Get(string key) => _items.TryGetValue(key, out var v) ? v : null;

    /// <summary>A copy with one option set (replacing any key that differs only in case).</summary>
    public EquatableDictionary With(string key, string value)
    {
        var copy = new Dictionary<string, string>(_items, StringComparer.OrdinalIgnoreCase) { [key] = value };
        return new EquatableDictionary(copy);
    }

    public bool Equals(EquatableDictionary? other) =>
        other is not null && Count == other.Count && _items.All(kv => other._items.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override bool Equals(object? obj) => obj is EquatableDictionary other && Equals(other);

    public override int GetHashCode()
    {
        var h = 0;
        foreach (var kv in _items)
        {
            h ^= HashCode.Combine(kv.Key.ToUpperInvariant(), kv.Value);
        }

        return h;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
