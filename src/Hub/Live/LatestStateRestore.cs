using System.Globalization;
using System.Text.Json;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Live;

/// <summary>
/// Rebuilds the latest-state cache from InfluxDB when the hub starts, so a restart (or a second hub
/// instance) shows the last known state at once instead of blank dashboards. Runs beside ingest: a live
/// reading that arrives first is newer and is kept (the cache never replaces newer with older).
/// </summary>
public sealed partial class LatestStateRestore(
    InfluxClient influx,
    LatestState state,
    WeatherQualityControl quality,
    SiteRegistry sites,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<LatestStateRestore> logger) : BackgroundService
{
    private const int Attempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = options.Value.RestoreWindow;
        if (window == TimeSpan.Zero)
        {
            return;
        }
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                var restored = await RestoreAsync(window, stoppingToken);
                LogRestored(logger, restored, window);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogRestoreFailed(logger, attempt, Attempts, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), time, stoppingToken);
            }
        }
    }

    private async Task<int> RestoreAsync(TimeSpan window, CancellationToken ct)
    {
        var seconds = ((long)window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var restored = 0;
        var now = time.GetUtcNow();
        foreach (var row in await LatestRowsAsync("ap", "ap", seconds, ct))
        {
            if (sites.TryGetAccessPoint(row.Key, out var ap) && sites.TryGetSite(ap.Site, out var site))
            {
                var r = row.Values;
                state.Apply(new ApReading(site, ap, new ApSample(
                    row.Ts, Bool(r, "up") == true ? ApStatus.Up : ApStatus.Down, null, Long(r, "seq"),
                    (int?)Long(r, "clients_2g"), (int?)Long(r, "clients_5g"), Double(r, "channel_util_2g_pct"), Double(r, "channel_util_5g_pct"),
                    (long?)Double(r, "rx_bps"), (long?)Double(r, "tx_bps"), Double(r, "noise_dbm"), Long(r, "uptime_s"),
                    Double(r, "cpu_pct"), Double(r, "mem_pct"))), now);
                restored++;
            }
        }
        foreach (var row in await LatestRowsAsync("shelter", "shelter", seconds, ct))
        {
            var r = row.Values;
            if (sites.TryGetSite(row.Key, out var shelter) && shelter.Kind == SiteKind.Shelter
                && Bool(r, "open") is { } open && Bool(r, "accepting") is { } accepting && Long(r, "occupancy") is { } occupancy)
            {
                var source = Text(r, "source") switch { "tablet" => ShelterSource.Tablet, "counter" => ShelterSource.Counter, "sim" => ShelterSource.Sim, _ => ShelterSource.Manual };
                state.Apply(new ShelterReading(shelter, new ShelterReport(
                    row.Ts, open, (int)occupancy, accepting, source, (int?)Long(r, "capacity"), null, Long(r, "seq"))), now);
                restored++;
            }
        }
        foreach (var row in await LatestRowsAsync("weather", "station", seconds, ct))
        {
            if (sites.TryGetSite(row.Key, out var station) && station.Kind == SiteKind.WeatherStation)
            {
                var r = row.Values;
                var reading = new WeatherReading(station, new WeatherObservation(
                    row.Ts, null, Long(r, "seq"), Double(r, "temperature_c"), Double(r, "humidity_pct"), Double(r, "pressure_hpa"),
                    Double(r, "wind_speed_ms"), Double(r, "wind_dir_deg"), Double(r, "gust_ms"),
                    Double(r, "rain_10m_mm"), Double(r, "rain_1h_mm"), Double(r, "rain_24h_mm")));
                // The verdict stored with the point, not a fresh one: a fresh checker has no history, so it
                // could not see the jump or the stuck run the point was flagged for. The check still runs,
                // to give the station's checker this point as the previous value for the next live one.
                quality.Check(reading);
                state.Apply(reading, StoredFlags(r), now);
                restored++;
            }
        }
        foreach (var row in await LatestRowsAsync("agent", "agent", seconds, ct))
        {
            var online = Bool(row.Values, "online") == true ? AgentPresence.Online : AgentPresence.Offline;
            state.Apply(new AgentStatusReading(row.Key, new AgentStatus(
                row.Ts, online, null, Long(row.Values, "queued"), Long(row.Values, "oldest_unacked_s"), Long(row.Values, "evicted"))), now);
            restored++;
        }
        return restored;
    }

    private static WeatherQuality StoredFlags(IReadOnlyDictionary<string, JsonElement> r)
    {
        Span<QualityFlag> flags = stackalloc QualityFlag[WeatherElements.Count];
        for (var i = 0; i < WeatherElements.Count; i++)
        {
            var element = (WeatherElement)i;
            flags[i] = Double(r, StoredQuality.Field(element)) is null ? QualityFlag.Missing
                : Long(r, StoredQuality.QualityField(element)) is { } code ? StoredQuality.FromCode(code)
                : QualityFlag.Ok;
        }
        return WeatherQuality.From(flags);
    }

    private sealed record LatestRow(string Key, DateTimeOffset Ts, IReadOnlyDictionary<string, JsonElement> Values);

    /// <summary>The newest point of each series of <paramref name="measurement"/> (one per <paramref name="tag"/> value).</summary>
    private async Task<List<LatestRow>> LatestRowsAsync(string measurement, string tag, string seconds, CancellationToken ct)
    {
        using var document = await influx.QueryAsync(
            $"SELECT * FROM \"{measurement}\" WHERE time > now() - {seconds}s GROUP BY \"{tag}\" ORDER BY time DESC LIMIT 1", ct);
        try
        {
            return [.. InfluxResults.Rows(document)
                .Where(r => !string.IsNullOrEmpty(r.Tags.GetValueOrDefault(tag)))
                .Select(r => new LatestRow(r.Tags[tag]!, r.Time, r.Values))];
        }
        catch (InvalidOperationException e) when (e.Message.Contains("database not found", StringComparison.Ordinal))
        {
            return []; // A first start: nothing stored yet.
        }
    }

    private static double? Double(IReadOnlyDictionary<string, JsonElement> r, string k) =>
        r.TryGetValue(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static long? Long(IReadOnlyDictionary<string, JsonElement> r, string k) =>
        r.TryGetValue(k, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static bool? Bool(IReadOnlyDictionary<string, JsonElement> r, string k) =>
        r.TryGetValue(k, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static string? Text(IReadOnlyDictionary<string, JsonElement> r, string k) =>
        r.TryGetValue(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored the latest state of {Count} devices from InfluxDB (window {Window})")]
    private static partial void LogRestored(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restoring the latest state from InfluxDB failed (attempt {Attempt} of {Attempts}): {Error}")]
    private static partial void LogRestoreFailed(ILogger logger, int attempt, int attempts, string error);
}
