using FacilityHub.Contracts.Live;

namespace FacilityHub.Contracts.Access;

/// <summary>
/// Who may see what. A person has one role; each role sees a fixed set of live views (<see cref="LiveViews"/>),
/// and the same mapping decides the REST endpoints, so the hub, the dashboard and the tests cannot disagree.
/// </summary>
public static class Roles
{
    /// <summary>IT staff: Wi-Fi access points and the edge agents that report them.</summary>
    public const string It = "it";

    /// <summary>Disaster HQ: shelter occupancy.</summary>
    public const string Disaster = "disaster";

    /// <summary>The weather office: observations.</summary>
    public const string Weather = "weather";

    /// <summary>Sees every view and may look users up.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// A machine account: the dashboard's own connection, which serves every signed-in person and so reads every
    /// view. The dashboard refuses it at its sign-in form; the hub only grants it what it needs (and verify).
    /// </summary>
    public const string Service = "service";

    public static IReadOnlyList<string> All { get; } = [It, Disaster, Weather, Admin, Service];

    public static bool IsKnown(string? role) => role is It or Disaster or Weather or Admin or Service;

    private static readonly IReadOnlyList<string> ItViews = [LiveViews.Aps, LiveViews.Agents];
    private static readonly IReadOnlyList<string> DisasterViews = [LiveViews.Shelters];
    private static readonly IReadOnlyList<string> WeatherViews = [LiveViews.Weather];

    /// <summary>The views <paramref name="role"/> may see; empty for an unknown role.</summary>
    public static IReadOnlyList<string> ViewsFor(string role) => role switch
    {
        It => ItViews,
        Disaster => DisasterViews,
        Weather => WeatherViews,
        Admin or Service => LiveViews.All,
        _ => [],
    };

    public static bool MaySee(string role, string view) => ViewsFor(role).Contains(view);

    /// <summary>The roles that may see <paramref name="view"/>, for "which role may" in a refusal.</summary>
    public static IReadOnlyList<string> AllowedFor(string view) => [.. All.Where(r => MaySee(r, view))];
}

/// <summary><c>POST /api/auth/token</c>: a person's or a service account's name and password.</summary>
public sealed record TokenRequest(string User, string Password);

/// <summary>A bearer token for <c>Authorization: Bearer …</c> (or <c>access_token</c> on <c>/hubs/live</c>).</summary>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string User, string Role);

/// <summary>
/// <c>POST /api/auth/verify</c> (service accounts only): a password a person typed into the dashboard, and the
/// browser's address the dashboard saw, which is what failed attempts are counted against.
/// </summary>
public sealed record VerifyRequest(string User, string Password, string ClientAddress);

/// <summary>A user as the hub knows it; never the password hash.</summary>
public sealed record UserInfo(string User, string DisplayName, string Role, bool Disabled);
