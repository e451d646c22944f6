using System.Security.Claims;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using Microsoft.AspNetCore.Authorization;

namespace FacilityHub.Hub.Access;

/// <summary>The authorization policies endpoints name, each derived from <see cref="Roles"/>.</summary>
internal static class AccessPolicies
{
    /// <summary>Broker and ingest internals (agents, rejected messages, counters): who runs the APs and agents sees them.</summary>
    public const string Operations = "operations";

    /// <summary>Looking a user up: the dashboard re-checks signed-in people; an admin may too.</summary>
    public const string UserLookup = "user-lookup";

    /// <summary>Checking a typed password on a person's behalf: only the dashboard's service account.</summary>
    public const string ServiceOnly = "service-only";

    private static readonly Dictionary<string, string[]> PolicyRoles = new(StringComparer.Ordinal)
    {
        // The roles that see the agents view see what runs under it.
        [Operations] = [.. Roles.AllowedFor(LiveViews.Agents)],
        [UserLookup] = [Roles.Service, Roles.Admin],
        [ServiceOnly] = [Roles.Service],
    };

    public static void Add(AuthorizationBuilder builder)
    {
        var authenticated = new AuthorizationPolicyBuilder(TokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
        // Every endpoint needs a signed-in caller unless it says otherwise (/healthz, the token endpoint): an endpoint
        // added later is closed until someone decides who may see it.
        builder.SetDefaultPolicy(authenticated).SetFallbackPolicy(authenticated);
        foreach (var (name, roles) in PolicyRoles)
        {
            builder.AddPolicy(name, p => p.AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName).RequireRole(roles));
        }
    }

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";

    /// <summary>The 403 detail: which roles the endpoint is for.</summary>
    public static string Describe(Endpoint? endpoint, string role)
    {
        var policy = endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        return policy is not null && PolicyRoles.TryGetValue(policy, out var roles)
            ? $"role '{role}' may not use this; roles that may: {string.Join(", ", roles)}"
            : $"role '{role}' may not use this";
    }

    /// <summary><c>/api/latest</c> for <paramref name="role"/>: the same shape, with the views it may not see left empty.</summary>
    public static LiveSnapshot VisibleTo(this LiveSnapshot snapshot, string role) => snapshot with
    {
        Aps = Roles.MaySee(role, LiveViews.Aps) ? snapshot.Aps : [],
        Shelters = Roles.MaySee(role, LiveViews.Shelters) ? snapshot.Shelters : [],
        Weather = Roles.MaySee(role, LiveViews.Weather) ? snapshot.Weather : [],
        Agents = Roles.MaySee(role, LiveViews.Agents) ? snapshot.Agents : [],
    };
}
