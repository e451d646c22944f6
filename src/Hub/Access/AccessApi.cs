using System.Globalization;
using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FacilityHub.Hub.Access;

/// <summary>Sign in (<c>token</c>), check a typed password for the dashboard (<c>verify</c>), look a user up (<c>users/{name}</c>).</summary>
internal static class AccessApi
{
    // A name and a password; anything much bigger is not a sign-in.
    private const long MaxBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(HubRoutes.Token, IssueTokenAsync).AllowAnonymous();
        app.MapPost(HubRoutes.Verify, VerifyAsync).RequireAuthorization(AccessPolicies.ServiceOnly);
        app.MapGet(HubRoutes.Users + "/{name}", GetUser).RequireAuthorization(AccessPolicies.UserLookup);
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        HttpContext http, SignIn signIn, AccessTokens tokens, CancellationToken ct)
    {
        var request = await ReadAsync(http.Request, ContractsJsonContext.Default.TokenRequest, ct);
        if (request is not { User: { Length: > 0 } user, Password: { Length: > 0 } password })
        {
            return BadRequest("the body must be JSON {\"user\": \"…\", \"password\": \"…\"}");
        }
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        switch (signIn.Check(user, password, client, "token"))
        {
            case SignInOutcome.Ok ok:
                var claims = tokens.Issue(ok.User, out var token);
                return TypedResults.Ok(new TokenResponse(token, claims.ExpiresAt, claims.User, claims.Role));
            case SignInOutcome.Locked locked:
                return TooManyAttempts(http, locked.RetryAfter);
            default:
                return InvalidUserOrPassword();
        }
    }

    private static async Task<Results<Ok<UserInfo>, ProblemHttpResult>> VerifyAsync(HttpContext http, SignIn signIn, CancellationToken ct)
    {
        var request = await ReadAsync(http.Request, ContractsJsonContext.Default.VerifyRequest, ct);
        if (request is not { User: { Length: > 0 } user, Password: { Length: > 0 } password, ClientAddress: { Length: > 0 } client })
        {
            return BadRequest("the body must be JSON {\"user\": \"…\", \"password\": \"…\", \"clientAddress\": \"…\"}");
        }
        // Counted against the person's browser, not the dashboard: one guessing browser must not lock out everyone.
        return signIn.Check(user, password, client, "verify") switch
        {
            SignInOutcome.Ok ok => TypedResults.Ok(ok.User.ToInfo()),
            SignInOutcome.Locked locked => TooManyAttempts(http, locked.RetryAfter),
            _ => InvalidUserOrPassword(),
        };
    }

    private static Results<Ok<UserInfo>, ProblemHttpResult> GetUser(string name, UserStore users) =>
        users.TryGet(name, out var user)
            ? TypedResults.Ok(user.ToInfo())
            : TypedResults.Problem($"no user '{(name.Length <= 64 ? name : name[..64] + "…")}'", statusCode: StatusCodes.Status404NotFound, title: "Unknown user");

    private static async Task<T?> ReadAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        if (request.ContentLength is > MaxBodyBytes || !request.HasJsonContentType())
        {
            return null;
        }
        // Also for a chunked body, which has no Content-Length to refuse up front.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        try
        {
            return await request.ReadFromJsonAsync(type, ct);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad sign-in request");

    private static ProblemHttpResult InvalidUserOrPassword() =>
        TypedResults.Problem("invalid user or password", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");

    private static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem($"too many failed sign-ins; try again in {seconds} s", statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in locked");
    }
}
