using System.Security.Claims;
using FacilityHub.Contracts.Access;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FacilityHub.Dashboard.Account;

/// <summary>What the sign-in cookie says about a person: name, display name and role, as the hub's user store had them.</summary>
public static class AccountClaims
{
    public const string DisplayName = "fh:display_name";

    public static ClaimsPrincipal Principal(UserInfo user) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.User),
                new Claim(DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.User : user.DisplayName),
                new Claim(ClaimTypes.Role, user.Role),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme,
            ClaimTypes.Name,
            ClaimTypes.Role));

    public static string? Role(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Role);

    /// <summary>Whether the store's current record still backs this session: same person, enabled, same role, a role that may use the UI.</summary>
    public static bool StillValid(ClaimsPrincipal principal, UserInfo? current) =>
        current is { Disabled: false }
        && current.User == principal.Identity?.Name
        && current.Role == principal.Role()
        && MayUseDashboard(current.Role);

    /// <summary>The service account is the dashboard's own credential for the hub, never a person's.</summary>
    public static bool MayUseDashboard(string role) => Roles.IsKnown(role) && role != Roles.Service;
}
