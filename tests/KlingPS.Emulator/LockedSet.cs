using System.Collections;

namespace KlingPS.Emulator;

/// <summary>A string set safe to change while requests read it; enumeration works on a snapshot.</summary>
internal sealed class LockedSet : ISet<string>
{
    private readonly HashSet<string> items = new(StringComparer.Ordinal);

    public int Count { get { lock (items) return items.Count; } }
    public bool IsReadOnly => false;

    public bool Add(string item) { lock (items) return items.Add(item); }
    void ICollection<string>.Add(string item) => Add(item);
    public bool Remove(string item) { lock (items) return items.Remove(item); }
    public void Clear() { lock (items) items.Clear(); }
    public bool Contains(string item) { lock (items) return items.Contains(item); }
    public void CopyTo(string[] array, int arrayIndex) { lock (items) items.CopyTo(array, arrayIndex); }

    public void UnionWith(IEnumerable<string> other) { lock (items) items.UnionWith(other); }
    public void IntersectWith(IEnumerable<string> other) { lock (items) items.IntersectWith(other); }
    public void ExceptWith(IEnumerable<string> other) { lock (items) items.ExceptWith(other); }
    public void SymmetricExceptWith(IEnumerable<string> other) { lock (items) items.SymmetricExceptWith(other); }
    public bool IsSubsetOf(IEnumerable<string> other) { lock (items) return items.IsSubsetOf(other); }
    public bool IsSupersetOf(IEnumerable<string> other) { lock (items) return items.IsSupersetOf(other); }
    public bool IsProperSubsetOf(IEnumerable<string> other) { lock (items) return items.IsProperSubsetOf(other); }
    public bool IsProperSupersetOf(IEnumerable<string> other) { lock (items) return items.IsProperSupersetOf(other); }
    public bool Overlaps(IEnumerable<string> other) { lock (items) return items.Overlaps(other); }
    public bool SetEquals(IEnumerable<string> other) { lock (items) return items.SetEquals(other); }

    public IEnumerator<string> GetEnumerator()
    {
        string[] snapshot;
        lock (items) snapshot = [.. items];
        return ((IEnumerable<string>)snapshot).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
