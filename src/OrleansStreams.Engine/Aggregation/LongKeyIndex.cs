using System.Numerics;
using System.Runtime.InteropServices;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// An open-addressing hash table from a 64-bit key to a group id: keys and ids side by side in one array
/// (one cache line per probe, where a Dictionary touches its buckets and then its entries), linear
/// probing, at most half full. Group ids are stored plus one, so a zero slot is empty.
/// </summary>
internal sealed class LongKeyIndex
{
    private Slot[] slots = new Slot[1024];
    private int shift = 64 - 10;
    private int count;

    /// <summary>The id of <paramref name="key"/>; a key not there yet gets <paramref name="newId"/>.</summary>
    public int GetOrAdd(long key, int newId, out bool added)
    {
        var mask = slots.Length - 1;
        for (var i = Index(key); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.IdPlusOne == 0)
            {
                var id = newId;
                slot = new Slot(key, id + 1);
                added = true;
                if (++count * 2 > slots.Length)
                {
                    Grow();
                }

                return id;
            }

            if (slot.Key == key)
            {
                added = false;
                return slot.IdPlusOne - 1;
            }
        }
    }

    private int Index(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);

    private void Grow()
    {
        var old = slots;
        slots = new Slot[old.Length * 2];
        shift = 64 - BitOperations.Log2((uint)slots.Length);
        var mask = slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.IdPlusOne == 0)
            {
                continue;
            }

            var i = Index(slot.Key);
            while (slots[i].IdPlusOne != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Slot(long Key, int IdPlusOne);
}
