using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Dashboard.Live;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.History;

/// <summary>Asks the hub's <c>GET /api/history</c> for one device over a <see cref="HistoryRange"/> ending now.</summary>
public sealed class HistoryClient
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly Uri _historyUri;

    public HistoryClient(IHttpClientFactory httpClientFactory, IOptions<HubOptions> hubOptions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(hubOptions);
        _httpClientFactory = httpClientFactory;
        _time = time;
        _historyUri = HubEndpoints.Resolve(hubOptions.Value.BaseUri, HubRoutes.History);
    }

    /// <summary>
    /// <paramref name="fields"/> of device <paramref name="id"/> (empty: the hub's default fields), aggregated with
    /// <paramref name="agg"/> (mean, max, min or last) per <see cref="HistoryRange.IntervalFor"/>
    /// <paramref name="width"/>. Throws <see cref="HistoryRequestException"/> when the hub refuses or cannot be reached.
    /// </summary>
    public async Task<HistoryResponse> GetAsync(
        string id, IReadOnlyList<string> fields, HistoryRange range, int width, string agg, CancellationToken cancellationToken)
    {
        var uri = BuildUri(_historyUri, id, fields, range, width, agg, _time.GetUtcNow());
        var http = _httpClientFactory.CreateClient(LiveFeed.HttpClientName);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var (title, detail) = await ReadProblemAsync(response, cancellationToken);
                throw new HistoryRequestException(
                    $"The hub answered {(int)response.StatusCode} to {uri}: {detail ?? title ?? response.ReasonPhrase}",
                    response.StatusCode, title, detail);
            }
            return await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.HistoryResponse, cancellationToken)
                ?? throw new HistoryRequestException($"The hub answered null to {uri}", response.StatusCode, null, null);
        }
        catch (HttpRequestException e)
        {
            throw new HistoryRequestException($"The hub could not be reached at {uri}: {e.Message}", null, null, null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the caller giving up.
            throw new HistoryRequestException($"The hub did not answer {uri} in time", null, null, null, e);
        }
        catch (JsonException e)
        {
            throw new HistoryRequestException($"The hub's answer to {uri} is not a history response: {e.Message}", null, null, null, e);
        }
    }

    /// <summary>
    /// The request for a range ending at <paramref name="now"/> rounded up to the interval: InfluxQL buckets are
    /// aligned to the epoch, so every request within one interval asks for the same buckets.
    /// </summary>
    internal static Uri BuildUri(Uri historyUri, string id, IReadOnlyList<string> fields, HistoryRange range, int width, string agg, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentException.ThrowIfNullOrEmpty(agg);
        var interval = range.IntervalFor(width);
        var to = new DateTimeOffset((now.UtcTicks + interval.Ticks - 1) / interval.Ticks * interval.Ticks, TimeSpan.Zero);
        var from = to - range.Length;
        var query = new StringBuilder("?id=").Append(Uri.EscapeDataString(id));
        if (fields.Count > 0)
        {
            query.Append("&fields=").Append(Uri.EscapeDataString(string.Join(',', fields)));
        }
        query.Append("&from=").Append(Uri.EscapeDataString(TimestampJsonConverter.ToWire(from)))
            .Append("&to=").Append(Uri.EscapeDataString(TimestampJsonConverter.ToWire(to)))
            .Append("&interval=").Append(HistoryRange.ToQuery(interval))
            .Append("&agg=").Append(Uri.EscapeDataString(agg));
        return new Uri(historyUri, query.ToString());
    }

    private static async Task<(string? Title, string? Detail)> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var problem = JsonDocument.Parse(body);
            return (Text(problem.RootElement, "title"), Text(problem.RootElement, "detail"));
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's HTML error page, say): the status code has to do.
            return (null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
