using System.Globalization;
using System.Text.Json;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;

namespace FacilityHub.Contracts.Validation;

/// <summary>
/// Turns an MQTT topic and payload into a <see cref="Reading"/> or a specific <see cref="Rejection"/>.
/// Pure and thread-safe: the broker's receive loops call it concurrently.
/// </summary>
public sealed class MessageDecoder(TopicScheme topics, SiteRegistry sites, DecodeLimits limits)
{
    public const int MaxDepth = 8;

    public TopicScheme Topics => topics;

    public DecodeResult Decode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (!topics.TryParse(topic, out var address, out var topicProblem))
        {
            return new Rejection(RejectReason.BadTopic, topicProblem);
        }
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return new Rejection(RejectReason.TooLarge, $"payload is {payload.Length} bytes, limit {limits.MaxPayloadBytes}");
        }
        if (JsonChecks.Shape(payload) is { } shape)
        {
            return shape;
        }

        DecodeResult result;
        try
        {
            result = address.Kind switch
            {
                TopicKind.Ap => DecodeAp(address, payload, now),
                TopicKind.Shelter => DecodeShelter(address, payload, now),
                TopicKind.Weather => DecodeWeather(address, payload, now),
                TopicKind.AgentStatus => DecodeStatus(address, payload, now),
                _ => new Rejection(RejectReason.BadTopic, $"'{address.Kind.ToString().ToLowerInvariant()}' topics are published by the hub, not to it"),
            };
        }
        catch (JsonException e)
        {
            return JsonChecks.ClassifyBindError(payload, e, address.Kind switch
            {
                TopicKind.Ap => WireJsonContext.Default.ApSampleWire,
                TopicKind.Shelter => WireJsonContext.Default.ShelterReportWire,
                TopicKind.Weather => WireJsonContext.Default.WeatherObservationWire,
                _ => WireJsonContext.Default.AgentStatusWire,
            });
        }
        catch (InvalidOperationException e)
        {
            // JsonChecks.Shape refuses what is known to throw here (escaped lone surrogates); should the
            // serializer find another such case, the message is still refused and recorded, never lost.
            return new Rejection(RejectReason.InvalidJson, e.Message);
        }
        return result;
    }

    private DecodeResult DecodeAp(TopicAddress address, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (!sites.TryGetSite(address.Id, out var site) || !site.HasAccessPoints)
        {
            return new Rejection(RejectReason.UnknownId, $"site '{address.Id}' is not in the registry");
        }
        if (!sites.TryGetAccessPoint(address.ApId!, out var ap) || ap.Site != site.Id)
        {
            return new Rejection(RejectReason.UnknownId, $"access point '{address.ApId}' is not registered at site '{site.Id}'");
        }
        var w = JsonSerializer.Deserialize(payload, WireJsonContext.Default.ApSampleWire)!;
        var check = new FieldCheck();
        var ts = check.Timestamp(w.Ts, now, limits);
        check.Identity(w.Agent, w.Seq);
        var status = check.Required("status", w.Status) switch
        {
            "up" => ApStatus.Up,
            "down" => ApStatus.Down,
            null => ApStatus.Down,
            var other => check.BadValue<ApStatus>("status", other, "'up' or 'down'"),
        };
        if (status == ApStatus.Up)
        {
            check.Required("clients2g", w.Clients2g);
            check.Required("clients5g", w.Clients5g);
            check.Required("channelUtil2gPct", w.ChannelUtil2gPct);
            check.Required("channelUtil5gPct", w.ChannelUtil5gPct);
            check.Required("rxBps", w.RxBps);
            check.Required("txBps", w.TxBps);
            check.Required("noiseDbm", w.NoiseDbm);
            check.Required("uptimeS", w.UptimeS);
        }
        check.Range("clients2g", w.Clients2g, 0, 10_000);
        check.Range("clients5g", w.Clients5g, 0, 10_000);
        check.Range("channelUtil2gPct", w.ChannelUtil2gPct, 0, 100);
        check.Range("channelUtil5gPct", w.ChannelUtil5gPct, 0, 100);
        check.Range("rxBps", w.RxBps, 0, 100_000_000_000);
        check.Range("txBps", w.TxBps, 0, 100_000_000_000);
        check.Range("noiseDbm", w.NoiseDbm, -150, 0);
        check.Range("uptimeS", w.UptimeS, 0, 100L * 365 * 24 * 3600);
        check.Range("cpuPct", w.CpuPct, 0, 100);
        check.Range("memPct", w.MemPct, 0, 100);
        if (check.Problem is { } problem)
        {
            return problem;
        }
        return new ApReading(site, ap, new ApSample(
            ts, status, w.Agent, w.Seq, w.Clients2g, w.Clients5g, w.ChannelUtil2gPct, w.ChannelUtil5gPct,
            w.RxBps, w.TxBps, w.NoiseDbm, w.UptimeS, w.CpuPct, w.MemPct));
    }

    private DecodeResult DecodeShelter(TopicAddress address, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (!sites.TryGetSite(address.Id, out var shelter) || shelter.Kind != SiteKind.Shelter)
        {
            return new Rejection(RejectReason.UnknownId, $"shelter '{address.Id}' is not in the registry");
        }
        var w = JsonSerializer.Deserialize(payload, WireJsonContext.Default.ShelterReportWire)!;
        var check = new FieldCheck();
        var ts = check.Timestamp(w.Ts, now, limits);
        check.Identity(w.Agent, w.Seq);
        var open = check.Required("open", w.Open);
        var occupancy = check.Required("occupancy", w.Occupancy);
        var accepting = check.Required("accepting", w.Accepting);
        var source = check.Required("source", w.Source) switch
        {
            "tablet" => ShelterSource.Tablet,
            "counter" => ShelterSource.Counter,
            "manual" => ShelterSource.Manual,
            "sim" => ShelterSource.Sim,
            null => ShelterSource.Manual,
            var other => check.BadValue<ShelterSource>("source", other, "'tablet', 'counter', 'manual' or 'sim'"),
        };
        check.Range("occupancy", w.Occupancy, 0, 100_000);
        check.Range("capacity", w.Capacity, 1, 100_000);
        if (check.Problem is { } problem)
        {
            return problem;
        }
        return new ShelterReading(shelter, new ShelterReport(
            ts, open!.Value, occupancy!.Value, accepting!.Value, source, w.Capacity, w.Agent, w.Seq));
    }

    private DecodeResult DecodeWeather(TopicAddress address, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (!sites.TryGetSite(address.Id, out var station) || station.Kind != SiteKind.WeatherStation)
        {
            return new Rejection(RejectReason.UnknownId, $"weather station '{address.Id}' is not in the registry");
        }
        var w = JsonSerializer.Deserialize(payload, WireJsonContext.Default.WeatherObservationWire)!;
        var check = new FieldCheck();
        var ts = check.Timestamp(w.Ts, now, limits);
        check.Identity(w.Agent, w.Seq);
        // Ranges are physical limits with margin (Japan's records: 41.8 °C, 85.3 m/s gust, 153 mm/10 min),
        // not plausibility checks: a rare reading must still be stored.
        check.Range("temperatureC", w.TemperatureC, -60, 60);
        check.Range("humidityPct", w.HumidityPct, 0, 100);
        check.Range("pressureHpa", w.PressureHpa, 850, 1090);
        check.Range("windSpeedMs", w.WindSpeedMs, 0, 100);
        check.Range("windDirDeg", w.WindDirDeg, 0, 360);
        check.Range("gustMs", w.GustMs, 0, 120);
        check.Range("rain10mMm", w.Rain10mMm, 0, 300);
        check.Range("rain1hMm", w.Rain1hMm, 0, 500);
        check.Range("rain24hMm", w.Rain24hMm, 0, 3000);
        if (w is { TemperatureC: null, HumidityPct: null, PressureHpa: null, WindSpeedMs: null, WindDirDeg: null, GustMs: null, Rain10mMm: null, Rain1hMm: null, Rain24hMm: null })
        {
            check.Fail(RejectReason.MissingField, "an observation needs at least one element");
        }
        if (check.Problem is { } problem)
        {
            return problem;
        }
        return new WeatherReading(station, new WeatherObservation(
            ts, w.Agent, w.Seq, w.TemperatureC, w.HumidityPct, w.PressureHpa, w.WindSpeedMs, w.WindDirDeg,
            w.GustMs, w.Rain10mMm, w.Rain1hMm, w.Rain24hMm));
    }

    private DecodeResult DecodeStatus(TopicAddress address, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        var w = JsonSerializer.Deserialize(payload, WireJsonContext.Default.AgentStatusWire)!;
        var check = new FieldCheck();
        // A retained status can be old when the hub (re)subscribes; its age is not a reason to refuse it.
        var ts = check.Timestamp(w.Ts, now, limits with { MaxAge = TimeSpan.MaxValue });
        var state = check.Required("state", w.State) switch
        {
            "online" => AgentPresence.Online,
            "offline" => AgentPresence.Offline,
            null => AgentPresence.Offline,
            var other => check.BadValue<AgentPresence>("state", other, "'online' or 'offline'"),
        };
        check.Range("queued", w.Queued, 0, long.MaxValue);
        check.Range("oldestUnackedS", w.OldestUnackedS, 0, long.MaxValue);
        check.Range("evicted", w.Evicted, 0, long.MaxValue);
        if (w.Version is { Length: > 64 })
        {
            check.Fail(RejectReason.OutOfRange, "version is longer than 64 characters");
        }
        if (check.Problem is { } problem)
        {
            return problem;
        }
        return new AgentStatusReading(address.Id, new AgentStatus(ts, state, w.Version, w.Queued, w.OldestUnackedS, w.Evicted));
    }

    internal static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";

    /// <summary>Collects the first problem; later checks are no-ops once one is found.</summary>
    private sealed class FieldCheck
    {
        public Rejection? Problem { get; private set; }

        public void Fail(RejectReason reason, string detail) => Problem ??= new Rejection(reason, detail);

        public T? Required<T>(string name, T? value) where T : struct
        {
            if (value is null)
            {
                Fail(RejectReason.MissingField, $"{name} is required");
            }
            return value;
        }

        public string? Required(string name, string? value)
        {
            if (value is null)
            {
                Fail(RejectReason.MissingField, $"{name} is required");
            }
            return value;
        }

        public T BadValue<T>(string name, string value, string allowed) where T : struct
        {
            Fail(RejectReason.WrongType, $"{name} '{Clip(value)}' is not one of {allowed}");
            return default;
        }

        public void Range(string name, double? value, double min, double max)
        {
            if (value is not { } v)
            {
                return;
            }
            if (!double.IsFinite(v))
            {
                Fail(RejectReason.OutOfRange, $"{name} is not a finite number");
            }
            else if (v < min || v > max)
            {
                Fail(RejectReason.OutOfRange, $"{name} {v} is outside {min}–{max}");
            }
        }

        public void Range(string name, long? value, long min, long max)
        {
            if (value is { } v && (v < min || v > max))
            {
                Fail(RejectReason.OutOfRange, $"{name} {v} is outside {min}–{max}");
            }
        }

        public void Identity(string? agent, long? seq)
        {
            if (agent is not null && !Ids.IsValid(agent))
            {
                Fail(RejectReason.WrongType, $"agent '{Clip(agent)}' is not a valid id ([a-z0-9][a-z0-9_-]{{0,62}})");
            }
            Range("seq", seq, 0, long.MaxValue);
        }

        public DateTimeOffset Timestamp(WireTimestamp ts, DateTimeOffset now, DecodeLimits limits)
        {
            if (ts.Kind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                Fail(RejectReason.MissingField, "ts is required");
                return default;
            }
            if (ts.Kind != JsonValueKind.String)
            {
                Fail(RejectReason.WrongType, $"ts must be a string, got {ts.Kind}");
                return default;
            }
            var text = ts.Text;
            if (!TimestampJsonConverter.TryParse(text, out var value))
            {
                if (IsBeyondRepresentableRange(text!))
                {
                    Fail(RejectReason.TsOutOfWindow, $"ts {Clip(text!)} lies before year 1 or after year 9999 once its offset is applied");
                    return default;
                }
                Fail(RejectReason.WrongType, $"ts '{Clip(text ?? "")}' is not ISO 8601 with an offset");
                return default;
            }
            if (value > now + limits.MaxAhead)
            {
                Fail(RejectReason.TsOutOfWindow, $"ts {text} is more than {limits.MaxAhead} ahead of the hub's clock");
            }
            else if (limits.MaxAge != TimeSpan.MaxValue && value < now - limits.MaxAge)
            {
                Fail(RejectReason.TsOutOfWindow, $"ts {text} is older than {limits.MaxAge}");
            }
            return value;
        }

        /// <summary>
        /// Well-formed, with an offset, but outside what <see cref="DateTimeOffset"/> holds
        /// (<c>0001-01-01T00:00:00+09:00</c>): as far outside the window as a timestamp can be, not a format error.
        /// </summary>
        private static bool IsBeyondRepresentableRange(string text)
        {
            if (text.Length < 25 || text[^6] is not ('+' or '-') || text[^3] != ':'
                || !int.TryParse(text.AsSpan(text.Length - 5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
                || !int.TryParse(text.AsSpan(text.Length - 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
                || hours > 14 || minutes > 59
                || !DateTime.TryParseExact(text[..^6], ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return false;
            }
            var offset = new TimeSpan(hours, minutes, 0) * (text[^6] == '-' ? -1 : 1);
            var utcTicks = local.Ticks - offset.Ticks;
            return utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks;
        }
    }
}
