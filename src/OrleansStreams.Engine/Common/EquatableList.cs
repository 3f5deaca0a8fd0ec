using System.Collections;

namespace OrleansStreams.Engine.Common;

/// <summary>
/// An immutable list that compares by its elements, so records holding lists (expressions,
/// plans) have value equality: two plans built the same way are equal.
/// </summary>
public sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    private readonly T[] _items;

    public EquatableList(IEnumerable<T> items) => _items = items.ToArray();

    public static readonly EquatableList<T> Empty = new(Array.Empty<T>());

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public bool Equals(EquatableList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is EquatableList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var item in _items)
        {
            h.Add(item);
        }

        return h.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", _items)}]";
}

public static class EquatableList
{
    public static EquatableList<T> Of<T>(params T[] items) => new(items);

    public static EquatableList<T> ToEquatableList<T>(this IEnumerable<T> items) => new(items);
}
