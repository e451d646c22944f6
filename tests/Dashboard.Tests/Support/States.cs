using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;

namespace FacilityHub.Dashboard.Tests.Support;

/// <summary>Device states as the hub pushes them, with only what a test cares about spelled out.</summary>
public static class States
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(9));

    public static ApState Ap(string apId, string siteId = "civic", ApStatus status = ApStatus.Up, int? c2 = 5, int? c5 = 10,
        double? u2 = 20, double? u5 = 10, DateTimeOffset? ts = null) =>
        new(siteId, apId, new ApSample(ts ?? T0, status, Clients2g: c2, Clients5g: c5, ChannelUtil2gPct: u2, ChannelUtil5gPct: u5), ts ?? T0);

    public static ApState ApDown(string apId, string siteId = "civic", DateTimeOffset? ts = null) =>
        new(siteId, apId, new ApSample(ts ?? T0, ApStatus.Down), ts ?? T0);

    public static ShelterState Shelter(string id, int occupancy, int capacity, bool open = true, bool accepting = true,
        CrowdingLevel? level = null, DateTimeOffset? ts = null)
    {
        var pct = 100.0 * occupancy / capacity;
        var shown = level ?? CrowdingLevels.Classify(null, open, accepting, pct, new CrowdingThresholds());
        return new(id, new ShelterReport(ts ?? T0, open, occupancy, accepting, ShelterSource.Tablet), capacity, pct, shown, ts ?? T0);
    }

    public static WeatherState Station(string id, double? temperatureC = 12.4, DateTimeOffset? ts = null, WeatherQuality? quality = null) =>
        new(id, new WeatherObservation(ts ?? T0, TemperatureC: temperatureC, WindSpeedMs: 3.2, WindDirDeg: 225), ts ?? T0, quality ?? WeatherQuality.AllOk);

    public static AgentState Agent(string id, AgentPresence presence = AgentPresence.Online) =>
        new(id, new AgentStatus(T0, presence), T0);

    public static LiveSnapshot Snapshot(IReadOnlyList<ApState>? aps = null, IReadOnlyList<ShelterState>? shelters = null,
        IReadOnlyList<WeatherState>? weather = null, IReadOnlyList<AgentState>? agents = null) =>
        new(T0, aps ?? [], shelters ?? [], weather ?? [], agents ?? []);
}
