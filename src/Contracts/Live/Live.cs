using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;

namespace FacilityHub.Contracts.Live;

/// <summary>The groups a live client joins, one per dashboard view.</summary>
public static class LiveViews
{
    public const string Aps = "aps";
    public const string Shelters = "shelters";
    public const string Weather = "weather";
    public const string Agents = "agents";

    public static IReadOnlyList<string> All { get; } = [Aps, Shelters, Weather, Agents];

    public static bool IsKnown(string? view) => view is Aps or Shelters or Weather or Agents;
}

/// <summary>Paths the hub serves; Dashboard and tests use these, never string literals.</summary>
public static class HubRoutes
{
    public const string LiveHub = "/hubs/live";
    public const string Latest = "/api/latest";
    public const string Sites = "/api/sites";
    public const string History = "/api/history";
    public const string Rejected = "/api/rejected";
    public const string Health = "/healthz";
    public const string Agents = "/api/agents";
    public const string Stats = "/api/stats";

    /// <summary>Access (docs/decisions/0007): sign in, check a typed password (service accounts), look a user up.</summary>
    public const string Token = "/api/auth/token";
    public const string Verify = "/api/auth/verify";
    public const string Users = "/api/auth/users";

    /// <summary>Hub methods a client invokes.</summary>
    public const string JoinView = nameof(JoinView);
    public const string LeaveView = nameof(LeaveView);
}

/// <summary>What the hub pushes to a live view: the latest state of each device that changed since the last push.</summary>
public interface ILiveClient
{
    Task ApsChanged(IReadOnlyList<ApState> aps);

    Task SheltersChanged(IReadOnlyList<ShelterState> shelters);

    Task WeatherChanged(IReadOnlyList<WeatherState> stations);

    Task AgentsChanged(IReadOnlyList<AgentState> agents);
}

public sealed record ApState(string SiteId, string ApId, ApSample Sample, DateTimeOffset ReceivedAt);

public sealed record ShelterState(
    string ShelterId,
    ShelterReport Report,
    int Capacity,
    double OccupancyPct,
    CrowdingLevel Level,
    DateTimeOffset ReceivedAt);

/// <summary>
/// A station's latest observation and the hub's quality verdict on each of its elements. When the station
/// has gone silent for <c>Quality:MissingAfter</c>, the observation stays (the last known values) and
/// every flag becomes <see cref="QualityFlag.Missing"/>.
/// </summary>
public sealed record WeatherState(string StationId, WeatherObservation Observation, DateTimeOffset ReceivedAt, WeatherQuality Quality);

public sealed record AgentState(string AgentId, AgentStatus Status, DateTimeOffset ReceivedAt);

/// <summary><c>GET /api/latest</c>: everything a client needs on connect and after every reconnect.</summary>
public sealed record LiveSnapshot(
    DateTimeOffset At,
    IReadOnlyList<ApState> Aps,
    IReadOnlyList<ShelterState> Shelters,
    IReadOnlyList<WeatherState> Weather,
    IReadOnlyList<AgentState> Agents);

/// <summary><c>GET /api/history</c>: one device, one aggregate per interval, one series per field.</summary>
public sealed record HistoryResponse(
    string Id,
    string Measurement,
    string Aggregate,
    TimeSpan Interval,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<HistorySeries> Series);

public sealed record HistorySeries(string Field, IReadOnlyList<HistoryPoint> Points);

/// <summary>
/// One interval's aggregate. <see cref="Q"/> is for weather only: the worst quality flag of the interval's
/// values, <see cref="QualityFlag.Missing"/> when the interval has no value, null (omitted) when all were ok.
/// </summary>
public sealed record HistoryPoint(DateTimeOffset T, double? V, QualityFlag? Q = null);

/// <summary>
/// <c>GET /api/rejected</c>: one refused message, most recent first. <see cref="Reason"/> is the reject reason's
/// wire code (<c>out_of_range</c>, …); <see cref="PayloadHead"/> is the first 1 KiB of the payload.
/// </summary>
public sealed record RejectedMessage(DateTimeOffset ArrivedAt, string Topic, string Reason, string Detail, string PayloadHead);
