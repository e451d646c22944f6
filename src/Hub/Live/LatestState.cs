using System.Collections.Concurrent;
using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Validation;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Live;

/// <summary>
/// The latest state of every device, and which devices changed since the last push per view. This is
/// the conflation point: a burst of many readings per device becomes one update per push.
/// Only a reading at least as new as the one held replaces it, so a replayed backlog never shows old
/// numbers as current. <see cref="WaitForChangeAsync"/> lets the pusher sleep until there is something to push.
/// </summary>
public sealed class LatestState
{
    private readonly CrowdingThresholds _thresholds;
    private readonly ConcurrentDictionary<string, ApState> _aps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ShelterState> _shelters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WeatherState> _weather = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentState> _agents = new(StringComparer.Ordinal);
    private readonly ChangeSignal _changed = new();
    private readonly Dirty _dirtyAps;
    private readonly Dirty _dirtyShelters;
    private readonly Dirty _dirtyWeather;
    private readonly Dirty _dirtyAgents;

    public LatestState(IOptions<CrowdingOptions> crowding)
    {
        _thresholds = crowding.Value.ToThresholds();
        _dirtyAps = new(_changed);
        _dirtyShelters = new(_changed);
        _dirtyWeather = new(_changed);
        _dirtyAgents = new(_changed);
    }

    /// <summary>Completes once a device changed after the previous wait returned (one waiter: the pusher).</summary>
    public Task WaitForChangeAsync(CancellationToken ct) => _changed.WaitAsync(ct);

    public LiveSnapshot Snapshot(DateTimeOffset at) =>
        new(at, [.. _aps.Values], [.. _shelters.Values], [.. _weather.Values], [.. _agents.Values]);

    public void Apply(ApReading r, DateTimeOffset receivedAt)
    {
        var state = new ApState(r.Site.Id, r.AccessPoint.Id, r.Sample, receivedAt);
        if (Replace(_aps, r.AccessPoint.Id, state, static s => s.Sample.Ts))
        {
            _dirtyAps.Mark(r.AccessPoint.Id);
        }
    }

    /// <summary>Applies a shelter report and returns the occupancy % and crowding level to store with it.</summary>
    public (double OccupancyPct, CrowdingLevel Level) Apply(ShelterReading r, DateTimeOffset receivedAt)
    {
        var capacity = r.Capacity;
        var pct = capacity > 0 ? Math.Round(100.0 * r.Report.Occupancy / capacity, 2) : 0;
        while (true)
        {
            _shelters.TryGetValue(r.Shelter.Id, out var current);
            if (current is not null && current.Report.Ts > r.Report.Ts)
            {
                // A replayed older report: its level is classified on its own, without the deadband's history.
                return (pct, CrowdingLevels.Classify(null, r.Report.Open, r.Report.Accepting, pct, _thresholds));
            }
            var level = CrowdingLevels.Classify(current?.Level, r.Report.Open, r.Report.Accepting, pct, _thresholds);
            var state = new ShelterState(r.Shelter.Id, r.Report, capacity, pct, level, receivedAt);
            var swapped = current is null ? _shelters.TryAdd(r.Shelter.Id, state) : _shelters.TryUpdate(r.Shelter.Id, state, current);
            if (swapped)
            {
                _dirtyShelters.Mark(r.Shelter.Id);
                return (pct, level);
            }
        }
    }

    public void Apply(WeatherReading r, WeatherQuality quality, DateTimeOffset receivedAt)
    {
        var state = new WeatherState(r.Station.Id, r.Observation, receivedAt, quality);
        if (Replace(_weather, r.Station.Id, state, static s => s.Observation.Ts))
        {
            _dirtyWeather.Mark(r.Station.Id);
        }
    }

    public void Apply(AgentStatusReading r, DateTimeOffset receivedAt)
    {
        var state = new AgentState(r.AgentId, r.Status, receivedAt);
        if (Replace(_agents, r.AgentId, state, static s => s.Status.Ts))
        {
            _dirtyAgents.Mark(r.AgentId);
        }
    }

    /// <summary>
    /// Marks every element missing at each station whose latest observation was measured more than
    /// <paramref name="missingAfter"/> before <paramref name="now"/>, once: a station already so marked is left
    /// alone, and a newer observation arriving meanwhile wins. Age counts from the observation's own
    /// <c>ts</c>, as the dashboard's staleness does. Returns the stations newly marked.
    /// </summary>
    public IReadOnlyList<WeatherState> MarkSilentStations(DateTimeOffset now, TimeSpan missingAfter)
    {
        List<WeatherState>? marked = null;
        foreach (var (id, current) in _weather)
        {
            if (now - current.Observation.Ts <= missingAfter || current.Quality == WeatherQuality.AllMissing)
            {
                continue;
            }
            var silent = current with { Quality = WeatherQuality.AllMissing };
            if (_weather.TryUpdate(id, silent, current))
            {
                _dirtyWeather.Mark(id);
                (marked ??= []).Add(silent);
            }
        }
        return marked ?? [];
    }

    public IReadOnlyList<ApState> TakeChangedAps() => _dirtyAps.Take(_aps);
    public IReadOnlyList<ShelterState> TakeChangedShelters() => _dirtyShelters.Take(_shelters);
    public IReadOnlyList<WeatherState> TakeChangedWeather() => _dirtyWeather.Take(_weather);
    public IReadOnlyList<AgentState> TakeChangedAgents() => _dirtyAgents.Take(_agents);

    private static bool Replace<T>(ConcurrentDictionary<string, T> map, string key, T state, Func<T, DateTimeOffset> ts)
        where T : class
    {
        while (true)
        {
            if (!map.TryGetValue(key, out var current))
            {
                if (map.TryAdd(key, state))
                {
                    return true;
                }
                continue;
            }
            if (ts(current) > ts(state))
            {
                return false;
            }
            if (map.TryUpdate(key, state, current))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Keys changed since the last take; a set, so a device changing 1,000 times is pushed once. One taker (the pusher).
    /// Take swaps the set and reads the states afterwards, so it visits only the keys that changed: enumerating a
    /// concurrent dictionary walks every bucket it ever grew to, 10,000 APs' worth on every push.
    /// </summary>
    private sealed class Dirty(ChangeSignal changed)
    {
        // Above this a drained set is dropped rather than cleared: Clear zeroes every bucket a burst grew it to.
        private const int KeepCapacity = 1024;
        private readonly Lock _gate = new();
        private HashSet<string> _keys = new(StringComparer.Ordinal);
        // Only the taker touches the spare.
        private HashSet<string> _spare = new(StringComparer.Ordinal);

        /// <summary>Called after the device's new state is in place.</summary>
        public void Mark(string key)
        {
            lock (_gate)
            {
                _keys.Add(key);
            }
            changed.Set();
        }

        public IReadOnlyList<T> Take<T>(ConcurrentDictionary<string, T> map)
        {
            HashSet<string> taken;
            lock (_gate)
            {
                if (_keys.Count == 0)
                {
                    return [];
                }
                taken = _keys;
                _keys = _spare;
            }
            // The states are read after the swap: a state applied after that read marks its key in the new set and is
            // pushed next time, one applied before it is what this read returns. Nothing is left unpushed.
            var list = new List<T>(taken.Count);
            foreach (var key in taken)
            {
                if (map.TryGetValue(key, out var state))
                {
                    list.Add(state);
                }
            }
            if (taken.Count > KeepCapacity)
            {
                taken = new HashSet<string>(StringComparer.Ordinal);
            }
            else
            {
                taken.Clear();
            }
            _spare = taken;
            return list;
        }
    }
}
