using FacilityHub.Contracts;
using System.Net.Http.Json;
using System.Text.Json;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Validation;
using FacilityHub.Dashboard.Live;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Agents;

/// <summary>Reads the hub's dead-letter list, <c>GET /api/rejected</c>, over the hub's named HTTP client (which carries the dashboard's credentials).</summary>
public sealed class RejectedClient
{
    /// <summary>The hub serves 1–200; a page shows the latest few dozen.</summary>
    public const int DefaultLimit = 50;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly Uri _rejectedUri;

    public RejectedClient(IHttpClientFactory httpClientFactory, IOptions<HubOptions> hubOptions)
    {
        ArgumentNullException.ThrowIfNull(hubOptions);
        _httpClientFactory = httpClientFactory;
        _rejectedUri = HubEndpoints.Resolve(hubOptions.Value.BaseUri, HubRoutes.Rejected);
    }

    /// <summary>The latest <paramref name="limit"/> rejections, most recent first; throws <see cref="HttpRequestException"/> or <see cref="JsonException"/> when the hub cannot say.</summary>
    public async Task<IReadOnlyList<RejectedMessage>> GetRecentAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 200);
        var uri = new Uri(_rejectedUri, $"?limit={limit}");
        return await _httpClientFactory.CreateClient(LiveFeed.HttpClientName)
                .GetFromJsonAsync(uri, ContractsJsonContext.Default.IReadOnlyListRejectedMessage, cancellationToken)
            ?? [];
    }
}

/// <summary>Which <c>AgentsText</c> entry explains a reject reason code.</summary>
public static class RejectReasonText
{
    /// <summary>The codes the hub can send, from the contract itself so a new reason cannot go unexplained.</summary>
    public static IReadOnlyList<string> KnownCodes { get; } = [.. Enum.GetValues<RejectReason>().Select(r => r.Code())];

    public const string UnknownKey = "Reason_other";

    /// <summary><c>Reason_out_of_range</c> for <c>out_of_range</c>; <see cref="UnknownKey"/> for a code this build does not know (a newer hub).</summary>
    public static string Key(string? code) => code is not null && KnownCodes.Contains(code, StringComparer.Ordinal) ? "Reason_" + code : UnknownKey;
}
