using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Agents;

/// <summary>One edge agent as the agents table shows it.</summary>
/// <remarks>
/// <see cref="LastSeen"/> is the status's own <c>ts</c>, as for every other report; <see cref="Stale"/> means the
/// agent has not published a status (it does every 30 s by default) for StaleAfter, so an "online" from then is
/// only its last word, not a fact about now.
/// </remarks>
public sealed record AgentRow(
    string AgentId,
    bool Online,
    DateTimeOffset LastSeen,
    TimeSpan Age,
    bool Stale,
    long? Queued,
    long? OldestUnackedS,
    long? Evicted,
    string? Version)
{
    /// <summary>Offline, stale, or having had to drop messages: the rows someone should look at.</summary>
    public bool NeedsAttention => !Online || Stale || Evicted > 0;
}

public static class AgentBoard
{
    /// <summary>Agents needing attention first, then by outbox depth (deepest first), then by id.</summary>
    public static IReadOnlyList<AgentRow> Build(IEnumerable<AgentState> agents, DateTimeOffset now, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return agents
            .Select(a => new AgentRow(
                a.AgentId,
                a.Status.State == AgentPresence.Online,
                a.Status.Ts,
                Freshness.Age(a.Status.Ts, now),
                Freshness.IsStale(a.Status.Ts, now, staleAfter),
                a.Status.Queued,
                a.Status.OldestUnackedS,
                a.Status.Evicted,
                a.Status.Version))
            .OrderByDescending(r => r.NeedsAttention)
            .ThenBy(r => r.Online)
            .ThenByDescending(r => r.Queued ?? 0)
            .ThenBy(r => r.AgentId, StringComparer.Ordinal)
            .ToList();
    }
}
