namespace FacilityHub.Edge.Simulation;

/// <summary>
/// Deterministic pseudo-randomness: the same (seed, id, slot, salt) gives the same number in every
/// process and on every machine, so a simulated day can be replayed in a test and two agents with the
/// same seed agree. <see cref="string.GetHashCode()"/> is randomised per process and cannot be used.
/// </summary>
internal static class Noise
{
    public static ulong Hash(int seed, string id, long slot, ulong salt)
    {
        // FNV-1a spreads the id; the SplitMix64 finaliser then mixes in the numbers so that
        // neighbouring slots give unrelated values.
        var h = 14695981039346656037UL;
        foreach (var c in id)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        h = Mix(h ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL));
        h = Mix(h ^ ((ulong)slot * 0xBF58476D1CE4E5B9UL));
        return Mix(h ^ (salt * 0x94D049BB133111EBUL));
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(int seed, string id, long slot, ulong salt) =>
        (Hash(seed, id, slot, salt) >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Smooth value noise in [0, 1): random values at the slot boundaries joined by smoothstep, so
    /// consecutive readings drift like a real signal instead of jumping every sample.
    /// </summary>
    public static double Smooth(int seed, string id, DateTimeOffset t, TimeSpan period, ulong salt)
    {
        var slot = FloorDiv(t.UtcTicks, period.Ticks);
        var fraction = (t.UtcTicks - (slot * period.Ticks)) / (double)period.Ticks;
        var a = Unit(seed, id, slot, salt);
        var b = Unit(seed, id, slot + 1, salt);
        return a + ((b - a) * fraction * fraction * (3 - (2 * fraction)));
    }

    /// <summary>Smooth noise in [-1, 1).</summary>
    public static double Centered(int seed, string id, DateTimeOffset t, TimeSpan period, ulong salt) =>
        (2 * Smooth(seed, id, t, period, salt)) - 1;

    public static long FloorDiv(long a, long b) => (a / b) - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
