namespace KlingPS.Emulator;

/// <summary>System.Random is not thread-safe; concurrent requests share one seeded stream through this lock.</summary>
internal sealed class SeededRandom(int seed)
{
    private readonly Random random = new(seed);

    public double NextDouble() { lock (random) return random.NextDouble(); }
    public int Next(int maxExclusive) { lock (random) return random.Next(maxExclusive); }
    public long NextInt64(long min, long maxExclusive) { lock (random) return random.NextInt64(min, maxExclusive); }
}
