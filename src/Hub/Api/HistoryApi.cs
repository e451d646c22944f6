using System.Globalization;
using System.Text;
using System.Text.Json;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Api;

/// <summary>
/// <c>GET /api/history</c>: one device over a time range, aggregated per interval with InfluxQL <c>GROUP BY time()</c>.
/// Weather points also carry the interval's worst quality flag (<c>max()</c> of the stored codes), and an
/// interval with no value is a point marked missing rather than no point: for weather the gap is the news.
/// </summary>
public static class HistoryApi
{
    private static readonly string[] Aggregates = ["mean", "max", "min", "last"];

    private static readonly Dictionary<string, (string Measurement, string Tag, string[] Fields, string[] Default)> Kinds = new()
    {
        ["ap"] = ("ap", "ap",
            ["clients_2g", "clients_5g", "channel_util_2g_pct", "channel_util_5g_pct", "rx_bps", "tx_bps", "noise_dbm", "cpu_pct", "mem_pct", "uptime_s"],
            ["clients_2g", "clients_5g", "channel_util_2g_pct", "channel_util_5g_pct"]),
        ["shelter"] = ("shelter", "shelter", ["occupancy", "capacity", "occupancy_pct"], ["occupancy", "occupancy_pct"]),
        ["weather"] = ("weather", "station",
            ["temperature_c", "humidity_pct", "pressure_hpa", "wind_speed_ms", "wind_dir_deg", "gust_ms", "rain_10m_mm", "rain_1h_mm", "rain_24h_mm"],
            ["temperature_c", "humidity_pct", "wind_speed_ms", "rain_10m_mm"]),
    };

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HubRoutes.History, GetHistoryAsync).WithName("History");
        return app;
    }

    private static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> GetHistoryAsync(
        string? id,
        string? fields,
        string? from,
        string? to,
        string? interval,
        string? agg,
        SiteRegistry sites,
        InfluxClient influx,
        IOptions<InfluxOptions> options,
        TimeProvider time,
        CancellationToken ct)
    {
        var request = Parse(id, fields, from, to, interval, agg, sites, options.Value.MaxHistoryPoints, time.GetUtcNow());
        if (request.Problem is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Bad history request");
        }
        var r = request.Query!;
        using var document = await influx.QueryAsync(r.ToInfluxQl(), ct);
        return TypedResults.Ok(r.Read(document));
    }

    public sealed record HistoryQuery(
        string Id, string Measurement, string Tag, IReadOnlyList<string> Fields, DateTimeOffset From, DateTimeOffset To, TimeSpan Interval, string Aggregate)
    {
        /// <summary>Only weather is quality-controlled.</summary>
        public bool WithQuality => Measurement == "weather";

        public string ToInfluxQl()
        {
            var sb = new StringBuilder("SELECT ");
            for (var i = 0; i < Fields.Count; i++)
            {
                sb.Append(i == 0 ? "" : ", ").Append(Aggregate).Append("(\"").Append(Fields[i]).Append("\") AS \"").Append(Fields[i]).Append('"');
                if (WithQuality)
                {
                    // Whatever the value's aggregate, the quality is the interval's worst: a mean over a
                    // stuck hour is as doubtful as its worst value.
                    var qc = StoredQuality.QualityField(Fields[i]);
                    sb.Append(", max(\"").Append(qc).Append("\") AS \"").Append(qc).Append('"');
                }
            }
            // Id and field names were checked against the registry and a fixed list: nothing user-typed reaches the query unvetted.
            sb.Append(CultureInfo.InvariantCulture,
                $" FROM \"{Measurement}\" WHERE \"{Tag}\" = '{Id}' AND time >= {From.ToUnixTimeMilliseconds()}ms AND time < {To.ToUnixTimeMilliseconds()}ms GROUP BY time({(long)Interval.TotalSeconds}s) fill({(WithQuality ? "null" : "none")})");
            return sb.ToString();
        }

        public HistoryResponse Read(JsonDocument document)
        {
            var series = Fields.ToDictionary(f => f, _ => new List<HistoryPoint>());
            foreach (var row in InfluxResults.Rows(document))
            {
                foreach (var (field, points) in series)
                {
                    var value = row.Values.TryGetValue(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null;
                    if (WithQuality)
                    {
                        points.Add(new HistoryPoint(row.Time, value, WorstIn(row, field, value)));
                    }
                    else if (value is { } number)
                    {
                        points.Add(new HistoryPoint(row.Time, number));
                    }
                }
            }
            return new HistoryResponse(Id, Measurement, Aggregate, Interval, From, To,
                [.. Fields.Select(f => new HistorySeries(f, series[f]))]);
        }

        /// <summary>Missing when the interval has no value; else the worst stored flag, null when all were ok.</summary>
        private static QualityFlag? WorstIn(InfluxRow row, string field, double? value) =>
            value is null ? QualityFlag.Missing
            : row.Values.TryGetValue(StoredQuality.QualityField(field), out var qc) && qc.ValueKind == JsonValueKind.Number && qc.TryGetInt64(out var code)
                ? StoredQuality.FromCode(code) switch { QualityFlag.Ok => null, var flag => flag }
                : null;
    }

    public readonly record struct ParseResult(HistoryQuery? Query, string? Problem);

    /// <summary>Checks every parameter and says exactly which one is wrong.</summary>
    public static ParseResult Parse(
        string? id, string? fields, string? from, string? to, string? interval, string? agg,
        SiteRegistry sites, int maxPoints, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id))
        {
            return Fail("id is required (an access point, shelter or weather station id)");
        }
        string kind;
        if (sites.TryGetAccessPoint(id, out _))
        {
            kind = "ap";
        }
        else if (sites.TryGetSite(id, out var site) && site.Kind is SiteKind.Shelter or SiteKind.WeatherStation)
        {
            kind = site.Kind == SiteKind.Shelter ? "shelter" : "weather";
        }
        else if (site is not null)
        {
            return Fail($"id '{id}' is a {site.Kind}; history is kept per access point, shelter or weather station");
        }
        else
        {
            return Fail($"unknown id '{Clip(id)}'");
        }
        var spec = Kinds[kind];

        var chosen = string.IsNullOrWhiteSpace(fields)
            ? spec.Default
            : fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var f in chosen)
        {
            if (!spec.Fields.Contains(f))
            {
                return Fail($"field '{Clip(f)}' is not a numeric field of '{spec.Measurement}'; choose from {string.Join(", ", spec.Fields)}");
            }
        }
        if (chosen.Length == 0)
        {
            return Fail("fields is empty");
        }

        DateTimeOffset end = now, start;
        if (to is not null && !TimestampJsonConverter.TryParse(to, out end))
        {
            return Fail($"to '{Clip(to)}' is not ISO 8601 with an offset (e.g. 2026-11-23T10:15:00+09:00)");
        }
        if (from is null)
        {
            start = end - TimeSpan.FromHours(24);
        }
        else if (!TimestampJsonConverter.TryParse(from, out start))
        {
            return Fail($"from '{Clip(from)}' is not ISO 8601 with an offset (e.g. 2026-11-23T10:15:00+09:00)");
        }
        if (start >= end)
        {
            return Fail($"from ({start:O}) must be before to ({end:O})");
        }

        var aggregate = agg ?? "mean";
        if (!Aggregates.Contains(aggregate))
        {
            return Fail($"agg '{Clip(aggregate)}' must be one of {string.Join(", ", Aggregates)}");
        }

        TimeSpan step;
        if (interval is null)
        {
            // Default: about 300 points, on whole seconds.
            step = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((end - start).TotalSeconds / 300)));
        }
        else if (!TryParseInterval(interval, out step))
        {
            return Fail($"interval '{Clip(interval)}' must be a whole number of s, m, h or d (e.g. 30s, 5m, 1h)");
        }
        var points = Math.Ceiling((end - start) / step);
        if (points > maxPoints)
        {
            return Fail($"too many points requested: {points:0} intervals of {interval ?? step.ToString()} between from and to, at most {maxPoints}; use a longer interval or a shorter range");
        }
        return new ParseResult(new HistoryQuery(id, spec.Measurement, spec.Tag, chosen, start, end, step, aggregate), null);
    }

    public static bool TryParseInterval(string text, out TimeSpan interval)
    {
        interval = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 366L * 86400)
        {
            return false;
        }
        var seconds = text[^1] switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, _ => -1 };
        if (seconds <= 0 || seconds > 366L * 86400)
        {
            return false;
        }
        interval = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static ParseResult Fail(string problem) => new(null, problem);

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
