using System.Text;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// Mosquitto 2.0's password file and ACL file for the same agents and rules the embedded broker enforces:
/// each agent may write its own status and its sites' topics (<see cref="SiteRegistry.GrantsOf"/>) and read
/// its own acks; the hub reads everything and writes acks. Agents without credentials, and revoked ones,
/// are left out of both files, so Mosquitto refuses them.
/// </summary>
public sealed record MosquittoAuthFiles(string Passwd, string Acl, IReadOnlyList<string> Agents)
{
    public static MosquittoAuthFiles Render(SiteRegistry registry, BrokerAuthOptions auth, TopicScheme topics, string hubUser, SecretHash hubHash)
    {
        var agents = registry.Agents
            .Select(a => a.Id)
            .Where(id => auth.Agents.TryGetValue(id, out var c) && !c.Revoked && c.SecretHash is not null)
            .Order(StringComparer.Ordinal)
            .ToList();

        var passwd = new StringBuilder();
        passwd.Append(hubUser).Append(':').Append(hubHash).Append('\n');
        foreach (var id in agents)
        {
            // The hub's hash format is Mosquitto's: the configured line goes in unchanged.
            passwd.Append(id).Append(':').Append(auth.Agents[id].SecretHash).Append('\n');
        }

        var acl = new StringBuilder();
        acl.Append("# Mosquitto ACL for FacilityHub, written by `dotnet FacilityHub.Hub.dll mosquitto-auth` from the site\n")
            .Append("# registry and the hub's BrokerAuth settings. Regenerate it rather than edit it: the hub's embedded\n")
            .Append("# broker enforces the same rules from the same sources.\n\n")
            .Append("# The hub: reads everything it ingests, publishes the end-to-end acks.\n")
            .Append("user ").Append(hubUser).Append('\n')
            .Append("topic read ").Append(topics.AllMessages).Append('\n')
            .Append("topic write ").Append(topics.Ack("#")).Append('\n');
        foreach (var id in agents)
        {
            acl.Append("\nuser ").Append(id).Append('\n')
                .Append("topic write ").Append(topics.AgentStatus(id)).Append('\n');
            foreach (var grant in registry.GrantsOf(id).OrderBy(g => g.Kind).ThenBy(g => g.Id, StringComparer.Ordinal))
            {
                var topic = grant.Kind == TopicKind.Ap ? topics.Ap(grant.Id, "+") : topics.Format(new TopicAddress(grant.Kind, grant.Id));
                acl.Append("topic write ").Append(topic).Append('\n');
            }
            acl.Append("topic read ").Append(topics.Ack(id)).Append('\n');
        }
        return new MosquittoAuthFiles(passwd.ToString(), acl.ToString(), agents);
    }
}
