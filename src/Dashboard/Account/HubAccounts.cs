using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Live;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Account;

/// <summary>What the hub said about a name and password a person typed.</summary>
public abstract record SignInResult
{
    private SignInResult()
    {
    }

    public sealed record Ok(UserInfo User) : SignInResult;

    /// <summary>Unknown name, wrong password or disabled user: the hub does not say which, and neither should the page.</summary>
    public sealed record Invalid : SignInResult;

    /// <summary>Too many failed attempts for this name or from this browser's address.</summary>
    public sealed record Locked(TimeSpan RetryAfter) : SignInResult;

    /// <summary>The hub did not answer, or answered something unexpected; the reason is logged, not shown.</summary>
    public sealed record HubUnavailable : SignInResult;
}

/// <summary>
/// The hub's user accounts as the dashboard's sign-in needs them, over the service account: check a typed password
/// (<c>/api/auth/verify</c>, counted against the person's browser address) and re-read a signed-in user
/// (<c>/api/auth/users/{name}</c>), so a disabled user or a changed role takes effect without signing out.
/// </summary>
public sealed partial class HubAccounts
{
    // Said when the hub locks out without a usable Retry-After; the hub's own default window.
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromMinutes(15);

    private readonly HttpClient _http;
    private readonly ILogger<HubAccounts> _logger;
    private readonly Uri _verifyUri;
    private readonly Uri _usersUri;

    public HubAccounts(HttpClient http, IOptions<HubOptions> options, ILogger<HubAccounts> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _logger = logger;
        _verifyUri = HubEndpoints.Resolve(options.Value.BaseUri, HubRoutes.Verify);
        _usersUri = HubEndpoints.Resolve(options.Value.BaseUri, HubRoutes.Users);
    }

    /// <param name="clientAddress">The person's browser as the dashboard sees it (the hub counts failures against it).</param>
    public async Task<SignInResult> VerifyAsync(string user, string password, string clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync(_verifyUri, new VerifyRequest(user, password, clientAddress),
                ContractsJsonContext.Default.VerifyRequest, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var info = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.UserInfo, cancellationToken);
                    return info is null ? Unavailable(_verifyUri, "empty answer") : new SignInResult.Ok(info);
                case HttpStatusCode.Unauthorized:
                    return new SignInResult.Invalid();
                case HttpStatusCode.TooManyRequests:
                    return new SignInResult.Locked(RetryAfter(response) ?? DefaultRetryAfter);
                default:
                    // 400 (a name or password the hub cannot take) is also just "invalid" to a person.
                    return response.StatusCode == HttpStatusCode.BadRequest
                        ? new SignInResult.Invalid()
                        : Unavailable(_verifyUri, $"HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            return Unavailable(_verifyUri, e.Message);
        }
    }

    /// <summary>The user as the hub knows it now; null when there is no such user.</summary>
    /// <exception cref="HttpRequestException">The hub did not answer (keep the session as it was, try again later).</exception>
    public async Task<UserInfo?> GetUserAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var response = await _http.GetAsync(new Uri(_usersUri + "/" + Uri.EscapeDataString(name)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.UserInfo, cancellationToken);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.TryGetValues("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null);

    private SignInResult Unavailable(Uri uri, string reason)
    {
        LogUnavailable(_logger, uri, reason);
        return new SignInResult.HubUnavailable();
    }

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "Could not check a sign-in at the hub ({Uri}): {Reason}")]
    private static partial void LogUnavailable(ILogger logger, Uri uri, string reason);
}
