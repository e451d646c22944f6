using System.Diagnostics.CodeAnalysis;
using FacilityHub.Contracts.Topics;

namespace FacilityHub.Contracts.Sites;

/// <summary>
/// An edge agent (or device gateway) and the sites it may publish for: a community center's or the Civic
/// Center's APs, a shelter's reports (and its gym's APs), a weather station's observations. Credentials
/// are not here: the registry says who may publish what; the hub's configuration says how each proves it.
/// </summary>
public sealed record RegisteredAgent(string Id, IReadOnlyList<string> Sites);

/// <summary>One topic an agent may publish on: <see cref="TopicKind.Ap"/> covers every AP of site <see cref="Id"/>.</summary>
public readonly record struct PublishGrant(TopicKind Kind, string Id);

public sealed partial class SiteRegistry
{
    private readonly Dictionary<string, (RegisteredAgent Agent, HashSet<PublishGrant> Grants)> _grants;

    /// <summary>The registry's agents (empty when the file lists none).</summary>
    public IReadOnlyList<RegisteredAgent> Agents { get; }

    public bool TryGetAgent(string id, [MaybeNullWhen(false)] out RegisteredAgent agent)
    {
        var found = _grants.TryGetValue(id, out var entry);
        agent = entry.Agent;
        return found;
    }

    /// <summary>
    /// Whether <paramref name="agentId"/> may publish on <paramref name="topic"/>: its own status, and the
    /// AP, shelter or weather topics of the sites assigned to it. Acks are the hub's to publish.
    /// </summary>
    public bool MayPublish(string agentId, TopicAddress topic)
    {
        if (!_grants.TryGetValue(agentId, out var entry))
        {
            return false;
        }
        return topic.Kind switch
        {
            TopicKind.AgentStatus => string.Equals(topic.Id, agentId, StringComparison.Ordinal),
            TopicKind.Ap or TopicKind.Shelter or TopicKind.Weather => entry.Grants.Contains(new PublishGrant(topic.Kind, topic.Id)),
            _ => false,
        };
    }

    /// <summary>
    /// What the agent's sites let it publish, besides its own status; the same rule as <see cref="MayPublish"/>,
    /// so that a broker's ACL file written from it (Mosquitto) grants exactly what the embedded broker does.
    /// </summary>
    public IReadOnlyCollection<PublishGrant> GrantsOf(string agentId) =>
        _grants.TryGetValue(agentId, out var entry) ? entry.Grants : [];

    /// <summary>The topics a site's data arrives on: a shelter reports itself and may have gym APs.</summary>
    private static IEnumerable<PublishGrant> GrantsFor(Site site)
    {
        if (site.Kind == SiteKind.Shelter)
        {
            yield return new PublishGrant(TopicKind.Shelter, site.Id);
        }
        if (site.Kind == SiteKind.WeatherStation)
        {
            yield return new PublishGrant(TopicKind.Weather, site.Id);
        }
        if (site.HasAccessPoints)
        {
            yield return new PublishGrant(TopicKind.Ap, site.Id);
        }
    }

    // Runs on a validated document only: every listed site exists.
    private static Dictionary<string, (RegisteredAgent, HashSet<PublishGrant>)> IndexAgents(
        IReadOnlyList<RegisteredAgent> agents, Dictionary<string, Site> sites) =>
        agents.ToDictionary(
            a => a.Id,
            a => (a, a.Sites.SelectMany(id => GrantsFor(sites[id])).ToHashSet()),
            StringComparer.Ordinal);

    /// <summary>The id checks every kind of registry entry needs: well-formed, and not yet taken in its id space.</summary>
    private static string? IdProblem(string entry, string? id, HashSet<string> taken) =>
        id is null || !Ids.IsValid(id) ? $"{entry} '{id}': id must match [a-z0-9][a-z0-9_-]{{0,62}}"
        : !taken.Add(id) ? $"{entry} '{id}': duplicate id"
        : null;

    private static IEnumerable<string> ValidateAgents(IReadOnlyList<RegisteredAgent> agents, IReadOnlyDictionary<string, SiteKind> sites)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            if (IdProblem("agent", agent?.Id, ids) is { } idProblem)
            {
                yield return idProblem;
                continue;
            }
            if (agent!.Sites is not { Count: > 0 })
            {
                yield return $"agent '{agent.Id}': sites is missing or empty";
                continue;
            }
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var site in agent.Sites)
            {
                if (site is null || !sites.ContainsKey(site))
                {
                    yield return $"agent '{agent.Id}': site '{site}' is not in sites";
                }
                else if (!listed.Add(site))
                {
                    yield return $"agent '{agent.Id}': site '{site}' is listed twice";
                }
            }
        }
    }
}
