using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FacilityHub.TestSupport;

/// <summary>
/// A minimal but real OpenID Connect provider on a loopback port, standing in for a city's staff directory
/// (no directory is reachable here). Authorization code flow only, with PKCE S256 required, client secret
/// checked (post or basic), one-use codes, and RS256 id_tokens signed with a key generated at start and
/// published as a JWKS. There is no login UI: <c>/authorize</c> answers at once for <see cref="SignedInPerson"/>,
/// the person the test chose. Anything it refuses is recorded in <see cref="Refusals"/> so a failing test says why.
/// </summary>
public sealed class TestDirectory : IAsyncDisposable
{
    public sealed record Person(string Subject, string UserName, string Name, IReadOnlyList<string> Roles);

    private sealed record Grant(Person Person, string RedirectUri, string? Nonce, string CodeChallenge);

    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentQueue<string> _refusals = new();
    private int _tokensIssued;

    private TestDirectory(WebApplication app, string clientId, string clientSecret, string roleClaim)
    {
        _app = app;
        ClientId = clientId;
        ClientSecret = clientSecret;
        RoleClaim = roleClaim;
    }

    /// <summary>The issuer and authority, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string Url { get; private set; } = "";

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string RoleClaim { get; }

    /// <summary>Who the next <c>/authorize</c> signs in; null answers <c>access_denied</c>.</summary>
    public Person? SignedInPerson { get; set; }

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    public IReadOnlyCollection<string> Refusals => [.. _refusals];

    /// <param name="host">
    /// The name in <see cref="Url"/>: <c>localhost</c> (the default) is another site than the dashboard's
    /// <c>127.0.0.1</c> to a browser, as a real directory would be, so SameSite cookie rules apply as in production.
    /// </param>
    public static async Task<TestDirectory> StartAsync(string clientId, string clientSecret, string roleClaim = "roles", string host = "localhost")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var directory = new TestDirectory(app, clientId, clientSecret, roleClaim);
        app.MapGet("/.well-known/openid-configuration", directory.Metadata);
        app.MapGet("/jwks", directory.Jwks);
        app.MapGet("/authorize", directory.Authorize);
        app.MapPost("/token", directory.TokenAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        directory.Url = $"http://{host}:{new Uri(address).Port}";
        return directory;
    }

    private IResult Metadata() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Url,
        ["authorization_endpoint"] = Url + "/authorize",
        ["token_endpoint"] = Url + "/token",
        ["jwks_uri"] = Url + "/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query", "form_post" },
        ["grant_types_supported"] = new[] { "authorization_code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["scopes_supported"] = new[] { "openid", "profile" },
        ["claims_supported"] = new[] { "sub", "name", "preferred_username", RoleClaim },
    });

    private IResult Jwks()
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = _keyId,
                    ["n"] = Base64Url(p.Modulus!), ["e"] = Base64Url(p.Exponent!),
                },
            },
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        string redirectUri = q["redirect_uri"].ToString();
        if (q["client_id"] != ClientId || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || !redirect.IsLoopback)
        {
            // Never redirect to a URI not known to belong to the client.
            return Refuse($"authorize: unknown client '{q["client_id"]}' or redirect_uri '{redirectUri}'");
        }
        var state = q["state"].ToString();
        string? error = null;
        if (q["response_type"] != "code")
        {
            error = Refused("unsupported_response_type", $"authorize: response_type '{q["response_type"]}'");
        }
        else if (!q["scope"].ToString().Split(' ').Contains("openid"))
        {
            error = Refused("invalid_scope", $"authorize: scope '{q["scope"]}' lacks openid");
        }
        else if (q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
        {
            error = Refused("invalid_request", $"authorize: PKCE S256 required, got method '{q["code_challenge_method"]}'");
        }
        else if (SignedInPerson is null)
        {
            error = "access_denied";
        }
        var answer = new Dictionary<string, string> { ["state"] = state };
        if (error is null)
        {
            var code = Base64Url(RandomNumberGenerator.GetBytes(32));
            _codes[code] = new Grant(SignedInPerson!, redirectUri, q["nonce"].FirstOrDefault(), q["code_challenge"].ToString());
            answer["code"] = code;
        }
        else
        {
            answer["error"] = error;
        }
        answer["iss"] = Url;
        if (q["response_mode"] == "form_post")
        {
            // What real providers do for form_post: a page that posts the answer back at once. Its empty icon
            // keeps Chromium from asking for /favicon.ico, whose 404 would be a console error in the tests.
            var fields = string.Concat(answer.Select(a =>
                $"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(a.Key)}\" value=\"{HtmlEncoder.Default.Encode(a.Value)}\">"));
            return Results.Content(
                $"<!doctype html><html><head><title>Signing in</title><link rel=\"icon\" href=\"data:,\"></head><body onload=\"document.forms[0].submit()\">"
                + $"<form method=\"post\" action=\"{HtmlEncoder.Default.Encode(redirectUri)}\">{fields}</form></body></html>",
                "text/html; charset=utf-8");
        }
        var query = string.Join("&", answer.Select(a => $"{Uri.EscapeDataString(a.Key)}={Uri.EscapeDataString(a.Value)}"));
        return Results.Redirect(redirectUri + (redirectUri.Contains('?') ? "&" : "?") + query);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, secret) = ((string?)form["client_id"], (string?)form["client_secret"]);
        if (request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair.ElementAtOrDefault(1) ?? ""));
        }
        if (clientId != ClientId || secret is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(ClientSecret)))
        {
            return TokenError(StatusCodes.Status401Unauthorized, "invalid_client", $"token: client '{clientId}' with a wrong or missing secret");
        }
        if (form["grant_type"] != "authorization_code")
        {
            return TokenError(StatusCodes.Status400BadRequest, "unsupported_grant_type", $"token: grant_type '{form["grant_type"]}'");
        }
        if (!_codes.TryRemove(form["code"].ToString(), out var grant))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "token: unknown or already used code");
        }
        if (form["redirect_uri"] != grant.RedirectUri)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", $"token: redirect_uri '{form["redirect_uri"]}' differs from the authorize request's");
        }
        var verifier = form["code_verifier"].ToString();
        if (verifier.Length is < 43 or > 128 || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "token: code_verifier does not match the code_challenge (S256)");
        }

        var accessToken = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Url,
            ["aud"] = ClientId,
            ["sub"] = grant.Person.Subject,
            ["preferred_username"] = grant.Person.UserName,
            ["name"] = grant.Person.Name,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + TokenLifetime).ToUnixTimeSeconds(),
            ["at_hash"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]),
            [RoleClaim] = grant.Person.Roles,
        };
        if (grant.Nonce is not null)
        {
            claims["nonce"] = grant.Nonce;
        }
        Interlocked.Increment(ref _tokensIssued);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["id_token"] = Sign(claims),
        });
    }

    /// <summary>A compact JWS, RS256: base64url(header) . base64url(payload) . base64url(signature).</summary>
    private string Sign(Dictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _keyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string Refused(string error, string why)
    {
        _refusals.Enqueue(why);
        return error;
    }

    private IResult Refuse(string why)
    {
        _refusals.Enqueue(why);
        return Results.BadRequest(why);
    }

    private IResult TokenError(int status, string error, string why)
    {
        _refusals.Enqueue(why);
        return Results.Json(new { error, error_description = why }, statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
