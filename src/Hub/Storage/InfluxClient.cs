using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Storage;

/// <summary>Outcome of one write request, as the writer needs to act on it.</summary>
public enum WriteOutcome
{
    Written,

    /// <summary>5xx, 429, timeout or no connection: the same batch may succeed later.</summary>
    RetryLater,

    /// <summary>InfluxDB refused (part of) the batch as bad data; retrying it unchanged cannot help.</summary>
    Refused,

    /// <summary>The database or bucket does not exist.</summary>
    NoDatabase,
}

public readonly record struct WriteResult(WriteOutcome Outcome, HttpStatusCode? Status, string Detail, TimeSpan? RetryAfter);

/// <summary>
/// InfluxDB's documented HTTP API, nothing more: line protocol to <c>/write</c> (v1) or <c>/api/v2/write</c>
/// (v2, token), InfluxQL to <c>/query</c>, <c>/ping</c> for health. No InfluxDB client library is available
/// to this project, and this surface is served by 1.x, 2.x (compatibility API) and 3.x alike.
/// </summary>
public sealed class InfluxClient(HttpClient http, IOptions<InfluxOptions> options)
{
    private readonly InfluxOptions _options = options.Value;

    public async Task<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken ct)
    {
        var url = _options.Api == InfluxApi.V1
            ? $"write?db={Uri.EscapeDataString(_options.Database)}&precision=ms"
            : $"api/v2/write?org={Uri.EscapeDataString(_options.Org!)}&bucket={Uri.EscapeDataString(_options.Bucket!)}&precision=ms";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(lines) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        Authorize(request);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                return new WriteResult(WriteOutcome.Written, response.StatusCode, "", null);
            }
            var body = await ReadErrorAsync(response, ct);
            var status = response.StatusCode;
            if (status == HttpStatusCode.NotFound && body.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                return new WriteResult(WriteOutcome.NoDatabase, status, body, null);
            }
            if ((int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
                || status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // Auth failures are retried too: a fixed token must not mean lost points in the meantime.
                return new WriteResult(WriteOutcome.RetryLater, status, body, RetryAfter(response));
            }
            return new WriteResult(WriteOutcome.Refused, status, body, null);
        }
        catch (HttpRequestException e)
        {
            return new WriteResult(WriteOutcome.RetryLater, null, e.Message, null);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            return new WriteResult(WriteOutcome.RetryLater, null, "request timed out: " + e.Message, null);
        }
    }

    public async Task CreateDatabaseAsync(CancellationToken ct)
    {
        if (_options.Api != InfluxApi.V1)
        {
            return; // A v2 bucket and its v1 mapping are provisioned by the operator (docker-compose does it).
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "query")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = $"CREATE DATABASE \"{_options.Database}\"" }),
        };
        Authorize(request);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("ping", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Runs one InfluxQL statement (ms epochs) and returns the parsed JSON body.</summary>
    public async Task<JsonDocument> QueryAsync(string influxQl, CancellationToken ct)
    {
        var db = _options.Api == InfluxApi.V1 ? _options.Database : _options.Bucket!;
        var url = $"query?db={Uri.EscapeDataString(db)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Authorize(request);
        using var response = await http.SendAsync(request, ct);
        var stream = await response.Content.ReadAsStreamAsync(ct);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        if (!response.IsSuccessStatusCode)
        {
            var error = document.RootElement.TryGetProperty("error", out var e) ? e.GetString() : response.ReasonPhrase;
            document.Dispose();
            throw new HttpRequestException($"InfluxDB query failed with {(int)response.StatusCode}: {error}", null, response.StatusCode);
        }
        return document;
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", _options.Token);
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        return body.Length <= 2000 ? body.Trim() : body[..2000];
    }

    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta)
            {
                return delta;
            }
            if (retry.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }
        // InfluxDB 2.x sends Retry-After as plain seconds, which the typed header also covers; 1.x sends none.
        return response.Headers.TryGetValues("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null;
    }
}
