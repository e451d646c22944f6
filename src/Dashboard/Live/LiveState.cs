using System.Collections.Concurrent;
using FacilityHub.Contracts.Live;

namespace FacilityHub.Dashboard.Live;

/// <summary>
/// The latest state of every device, from the hub's pushes and from its <c>/api/latest</c> snapshot.
/// </summary>
/// <remarks>
/// Pushes and the snapshot travel on different connections, so a push can arrive while the snapshot request
/// is in flight and carry a newer state than the snapshot will. Every push gets a version from one counter;
/// <see cref="Mark"/> is read before the snapshot is requested, and <see cref="ApplySnapshot"/> keeps any entry
/// pushed after that mark. Everything else is replaced by the snapshot, including devices it no longer has.
/// </remarks>
public sealed class LiveState
{
    private readonly DeviceTable<ApState> _aps = new(s => s.ApId, s => s.Sample is not null);
    private readonly DeviceTable<ShelterState> _shelters = new(s => s.ShelterId, s => s.Report is not null);
    private readonly DeviceTable<WeatherState> _weather = new(s => s.StationId, s => s.Observation is not null);
    private readonly DeviceTable<AgentState> _agents = new(s => s.AgentId, s => s.Status is not null);

    // Written by every push (Interlocked), read by Mark: the order of pushes relative to a snapshot request.
    private long _version;

    public IReadOnlyCollection<ApState> Aps => _aps.Values;

    public IReadOnlyCollection<ShelterState> Shelters => _shelters.Values;

    public IReadOnlyCollection<WeatherState> Weather => _weather.Values;

    public IReadOnlyCollection<AgentState> Agents => _agents.Values;

    /// <summary>Read just before requesting a snapshot; pass to <see cref="ApplySnapshot"/>.</summary>
    public long Mark() => Interlocked.Read(ref _version);

    public void ApplyAps(IEnumerable<ApState>? aps) => _aps.Upsert(aps, NextVersion);

    public void ApplyShelters(IEnumerable<ShelterState>? shelters) => _shelters.Upsert(shelters, NextVersion);

    public void ApplyWeather(IEnumerable<WeatherState>? stations) => _weather.Upsert(stations, NextVersion);

    public void ApplyAgents(IEnumerable<AgentState>? agents) => _agents.Upsert(agents, NextVersion);

    public void ApplySnapshot(LiveSnapshot snapshot, long mark)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _aps.Replace(snapshot.Aps, mark);
        _shelters.Replace(snapshot.Shelters, mark);
        _weather.Replace(snapshot.Weather, mark);
        _agents.Replace(snapshot.Agents, mark);
    }

    private long NextVersion() => Interlocked.Increment(ref _version);

    private sealed class DeviceTable<T>(Func<T, string?> key, Func<T, bool> isComplete)
        where T : class
    {
        private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

        public IReadOnlyCollection<T> Values => _entries.Values.Select(e => e.State).ToList();

        public void Upsert(IEnumerable<T>? states, Func<long> nextVersion)
        {
            foreach (var state in states ?? [])
            {
                if (Usable(state) is { } id)
                {
                    _entries[id] = new Entry(state, nextVersion());
                }
            }
        }

        public void Replace(IEnumerable<T>? snapshot, long mark)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var state in snapshot ?? [])
            {
                if (Usable(state) is not { } id)
                {
                    continue;
                }
                present.Add(id);
                var fromSnapshot = new Entry(state, mark);
                _entries.AddOrUpdate(id, fromSnapshot, (_, existing) => existing.Version > mark ? existing : fromSnapshot);
            }
            foreach (var entry in _entries)
            {
                if (!present.Contains(entry.Key) && entry.Value.Version <= mark)
                {
                    // Removes only if unchanged, so a push racing with this loop survives.
                    _entries.TryRemove(entry);
                }
            }
        }

        // The wire may carry an entry with a missing id or payload; it is skipped rather than shown half-empty.
        private string? Usable(T? state) =>
            state is not null && key(state) is { Length: > 0 } id && isComplete(state) ? id : null;

        private sealed record Entry(T State, long Version);
    }
}
