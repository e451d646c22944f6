using System.Net;
using System.Net.Http.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Live;

/// <summary>
/// The dashboard's bearer token at the hub, for its service account (<c>Hub:ServiceUser</c>): fetched from
/// <c>/api/auth/token</c> when first needed, kept, and fetched again before it expires or after the hub refused it
/// (a hub whose keys were replaced, or the account changed). One fetch at a time, however many callers wait.
/// </summary>
public sealed partial class HubToken : IDisposable
{
    /// <summary>The client that signs in; it carries no token itself.</summary>
    public const string HttpClientName = "hub-sign-in";

    // Renewed this long before it expires, so a request never leaves with a token about to lapse.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<HubToken> _logger;
    private readonly Uri _tokenUri;
    private readonly string _user;
    private readonly string _passwordFile;
    private readonly SemaphoreSlim _fetching = new(1, 1);

    // Replaced whole by a fetch, read by every request.
    private volatile TokenResponse? _current;

    public HubToken(IOptions<HubOptions> options, IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<HubToken> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _time = time;
        _logger = logger;
        _tokenUri = HubEndpoints.Resolve(options.Value.BaseUri, HubRoutes.Token);
        _user = options.Value.ServiceUser!;
        _passwordFile = options.Value.ServicePasswordFile!;
    }

    /// <summary>A token that is good for at least a few minutes more.</summary>
    /// <exception cref="HttpRequestException">The hub is unreachable or refused the service account.</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Usable(_current) is { } token)
        {
            return token;
        }
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Someone else may have fetched it while this caller waited.
            return Usable(_current) ?? (_current = await FetchAsync(cancellationToken)).AccessToken;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>The hub refused <paramref name="token"/>: the next <see cref="GetAsync"/> fetches a new one (unless another caller already has).</summary>
    public void Invalidate(string token)
    {
        var current = _current;
        if (current is not null && current.AccessToken == token)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    public void Dispose() => _fetching.Dispose();

    private string? Usable(TokenResponse? token) =>
        token is not null && token.ExpiresAt - _time.GetUtcNow() > RenewBefore ? token.AccessToken : null;

    private async Task<TokenResponse> FetchAsync(CancellationToken cancellationToken)
    {
        // Read on every fetch, so a rotated password is picked up without a restart.
        var password = (await File.ReadAllTextAsync(_passwordFile, cancellationToken)).Trim();
        using var response = await _httpClientFactory.CreateClient(HttpClientName).PostAsJsonAsync(
            _tokenUri, new TokenRequest(_user, password), ContractsJsonContext.Default.TokenRequest, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // Said once per failed fetch: the live feed's retries already space them out.
            Log.TokenRefused(_logger, _user, _tokenUri, (int)response.StatusCode);
            throw new HttpRequestException($"the hub refused the dashboard's service account '{_user}' ({(int)response.StatusCode} {response.StatusCode}); check Hub:ServiceUser and Hub:ServicePasswordFile", null, response.StatusCode);
        }
        var token = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TokenResponse, cancellationToken)
            ?? throw new InvalidDataException($"{_tokenUri} returned no token");
        Log.TokenIssued(_logger, _user, token.Role, token.ExpiresAt);
        return token;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Signed in to the hub as {User} (role {Role}); token valid until {ExpiresAt}")]
        public static partial void TokenIssued(ILogger logger, string user, string role, DateTimeOffset expiresAt);

        [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "The hub refused the dashboard's service account {User} at {TokenUri}: HTTP {Status}")]
        public static partial void TokenRefused(ILogger logger, string user, Uri tokenUri, int status);
    }
}

/// <summary>
/// Puts the service token on every request to the hub, and on a 401 that refuses the token itself (the hub's
/// <c>WWW-Authenticate: Bearer</c> challenge) fetches a fresh one and tries once more. A 401 without that challenge
/// is an answer about something else (a person's password at <c>verify</c>) and is passed on as it is: retrying it
/// would count one wrong password twice.
/// </summary>
public sealed class HubTokenHandler(HubToken token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var used = await token.GetAsync(cancellationToken);
        request.Headers.Authorization = new("Bearer", used);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.Count == 0)
        {
            return response;
        }
        response.Dispose();
        token.Invalidate(used);
        request.Headers.Authorization = new("Bearer", await token.GetAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
