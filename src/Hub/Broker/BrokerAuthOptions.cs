using FacilityHub.Contracts;
using FacilityHub.Contracts.Sites;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// Section <c>BrokerAuth</c>: who may connect to the embedded broker, and the source <c>mosquitto-auth</c>
/// writes Mosquitto's password file from. What each agent may publish is the site registry's business.
/// </summary>
public sealed class BrokerAuthOptions : IValidatedOptions
{
    public const string Section = "BrokerAuth";

    /// <summary>
    /// Development only: clients without a username may connect, with any client id that is not a
    /// credentialed agent's, and may publish and subscribe without restriction. Logged as a warning at start.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Per agent id (the MQTT username and client id): its hashed secret, or that it is revoked.</summary>
    public Dictionary<string, BrokerAuthAgentOptions> Agents { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Problems()
    {
        foreach (var (id, agent) in Agents.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var key = $"{Section}:Agents:{id}";
            if (!Ids.IsValid(id))
            {
                yield return $"{key}: agent id must match [a-z0-9][a-z0-9_-]{{0,62}}";
            }
            else if (agent.SecretHash is null)
            {
                if (!agent.Revoked)
                {
                    yield return $"{key}:SecretHash is required (make one with: dotnet FacilityHub.Hub.dll hash-secret)";
                }
            }
            else if (!SecretHash.TryParse(agent.SecretHash, out var hash, out var problem))
            {
                // Never the value: an operator may have pasted the plain secret here by mistake.
                yield return $"{key}:SecretHash is not a hash-secret line: {problem}";
            }
            else if (hash.Iterations is < SecretHash.MinIterations or > SecretHash.MaxIterations)
            {
                yield return $"{key}:SecretHash has {hash.Iterations} iterations; use {SecretHash.MinIterations}–{SecretHash.MaxIterations} (hash-secret makes {SecretHash.DefaultIterations})";
            }
        }
    }

    /// <summary>Credentials for an agent the registry does not know would authorise nothing: a typo, said at start.</summary>
    public IEnumerable<string> ProblemsWith(SiteRegistry registry) =>
        Agents.Keys
            .Where(id => !registry.TryGetAgent(id, out _))
            .Order(StringComparer.Ordinal)
            .Select(id => $"{Section}:Agents:{id}: agent '{id}' is not in the site registry's agents");
}

public sealed class BrokerAuthAgentOptions
{
    /// <summary>The output of <c>hash-secret</c>; never the plain secret.</summary>
    public string? SecretHash { get; set; }

    /// <summary>A revoked agent is refused even with the right secret, and left out of Mosquitto's files.</summary>
    public bool Revoked { get; set; }
}
