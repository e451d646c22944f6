using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using FacilityHub.Contracts.Live;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Access;

/// <summary>
/// <c>Authorization: Bearer …</c> (and, on <c>/hubs/live</c> only, <c>?access_token=…</c>: browsers' WebSockets
/// cannot send headers). Every request looks the user up, so a disabled user or a changed role is refused at once,
/// not when the token expires. Refusals are 401/403 with a problem body, never a redirect.
/// </summary>
internal sealed partial class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokens tokens,
    UserStore users,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";
    public const string IssuedAtClaim = "fh:iat";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken();
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!tokens.TryRead(token, out var claims))
        {
            return Task.FromResult(AuthenticateResult.Fail("the token is not valid or has expired"));
        }
        if (!users.Admits(claims, out var refusal))
        {
            return Task.FromResult(AuthenticateResult.Fail(refusal));
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, claims.User),
                new Claim(ClaimTypes.Role, claims.Role),
                new Claim(IssuedAtClaim, claims.IssuedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            ],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        // ExpiresUtc lets SignalR close a live connection when its token expires (CloseOnAuthenticationExpiration).
        var properties = new AuthenticationProperties { ExpiresUtc = claims.ExpiresAt };
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // The WWW-Authenticate challenge is what tells a client its token (not, say, a typed password) was refused.
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Sign-in required",
                Detail = failure?.Message is { } why
                    ? $"{why}; sign in again with POST {HubRoutes.Token}"
                    : $"send Authorization: Bearer <token> (from POST {HubRoutes.Token})",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "?";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed for this role",
                Detail = AccessPolicies.Describe(Context.GetEndpoint(), role),
            },
        });
    }

    private string? BearerToken()
    {
        string? header = Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }
        if (Request.Path.StartsWithSegments(HubRoutes.LiveHub) && Request.Query["access_token"] is { Count: 1 } query)
        {
            return query[0] is { Length: > 0 } token ? token : null;
        }
        return null;
    }
}
