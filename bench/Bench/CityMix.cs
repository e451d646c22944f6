using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;

/// <summary>
/// A city large enough for the ladder: the sample registry's districts, plus generated community centers with
/// their APs, shelters and weather stations (10,000+ devices by default). Ids must be in the registry the hub
/// loads, or it rejects every message as unknown, so the bench writes the registry it then starts the hub with.
/// </summary>
internal static class CityMix
{
    public static SiteRegistryDocument Generate(SiteRegistry sample, int accessPoints, int shelters, int stations)
    {
        const int ApsPerCenter = 20;
        var districts = sample.Districts;
        var sites = new List<Site>();
        var aps = new List<AccessPoint>();
        var centers = (accessPoints + ApsPerCenter - 1) / ApsPerCenter;
        // Positions are spread over a small box near the sample city; they only need to be valid.
        Site Make(string id, SiteKind kind, int i, int? capacity = null) =>
            new(id, kind, $"ベンチ {id}", $"Bench {id}", districts[i % districts.Count].Id, 36.55 + (i % 100) * 0.001, 140.60 + (i / 100) * 0.001, capacity);
        for (var c = 0; c < centers; c++)
        {
            sites.Add(Make($"bc-{c:D4}", SiteKind.CommunityCenter, c));
        }
        for (var a = 0; a < accessPoints; a++)
        {
            aps.Add(new AccessPoint($"bap-{a:D5}", $"bc-{a / ApsPerCenter:D4}", $"{a % 3 + 1}F"));
        }
        for (var s = 0; s < shelters; s++)
        {
            sites.Add(Make($"bs-{s:D4}", SiteKind.Shelter, s, 100 + s % 900));
        }
        for (var w = 0; w < stations; w++)
        {
            sites.Add(Make($"bw-{w:D4}", SiteKind.WeatherStation, w));
        }
        return new SiteRegistryDocument(sample.City, "GENERATED FOR THE BENCHMARK ONLY, not city data.", districts, sites, aps);
    }

    public static void Write(SiteRegistryDocument document, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(document, ContractsJsonContext.Default.SiteRegistryDocument));

    /// <summary>
    /// Every device of the registry once per round (APs, shelters and stations in proportion to their numbers:
    /// about 89 / 9 / 2 % with the defaults), shuffled with a fixed seed so runs are comparable.
    /// </summary>
    public static Device[] Devices(SiteRegistry registry)
    {
        var devices = new List<Device>();
        var random = new Random(5);
        foreach (var ap in registry.AccessPoints)
        {
            devices.Add(new Device($"fh/v1/ap/{ap.Site}/{ap.Id}", DeviceKind.Ap, Fields.Ap(random)));
        }
        foreach (var site in registry.OfKind(SiteKind.Shelter))
        {
            devices.Add(new Device($"fh/v1/shelter/{site.Id}", DeviceKind.Shelter, Fields.Shelter(random, site.Capacity ?? 100)));
        }
        foreach (var site in registry.OfKind(SiteKind.WeatherStation))
        {
            devices.Add(new Device($"fh/v1/weather/{site.Id}", DeviceKind.Weather, Fields.Weather(random)));
        }
        var array = devices.ToArray();
        random.Shuffle(array);
        return array;
    }
}

internal enum DeviceKind { Ap, Shelter, Weather }

/// <summary>One device: its topic and the payload's fields after <c>ts</c>, <c>agent</c> and <c>seq</c>, pre-encoded.</summary>
internal sealed record Device(string Topic, DeviceKind Kind, byte[] Rest);

internal static class Fields
{
    public static byte[] Ap(Random r) => Encoding.UTF8.GetBytes(FormattableString.Invariant(
        $$""","status":"up","clients2g":{{r.Next(40)}},"clients5g":{{r.Next(120)}},"channelUtil2gPct":{{r.Next(1000) / 10.0}},"channelUtil5gPct":{{r.Next(1000) / 10.0}},"rxBps":{{r.Next(5_000_000)}},"txBps":{{r.Next(5_000_000)}},"noiseDbm":{{-100 + r.Next(20)}},"uptimeS":{{r.Next(1_000_000)}},"cpuPct":{{r.Next(1000) / 10.0}},"memPct":{{r.Next(1000) / 10.0}}}"""));

    public static byte[] Shelter(Random r, int capacity) => Encoding.UTF8.GetBytes(FormattableString.Invariant(
        $$""","open":true,"occupancy":{{r.Next(capacity)}},"capacity":{{capacity}},"accepting":true,"source":"counter"}"""));

    public static byte[] Weather(Random r) => Encoding.UTF8.GetBytes(FormattableString.Invariant(
        $$""","temperatureC":{{r.Next(-50, 350) / 10.0}},"humidityPct":{{r.Next(100)}},"pressureHpa":{{990 + r.Next(400) / 10.0}},"windSpeedMs":{{r.Next(200) / 10.0}},"windDirDeg":{{r.Next(360)}},"gustMs":{{r.Next(300) / 10.0}},"rain10mMm":{{r.Next(50) / 10.0}},"rain1hMm":{{r.Next(200) / 10.0}},"rain24hMm":{{r.Next(1500) / 10.0}}}"""));

    /// <summary>
    /// <c>{"ts":"…","agent":"…","seq":N</c> + the device's fields. <c>ts</c> is the send time (ms): a device repeats
    /// only once per round, thousands of messages later, so its points never share a timestamp.
    /// </summary>
    public static byte[] Payload(ReadOnlySpan<byte> tsAndAgent, long seq, byte[] rest)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, digits, out var n);
        var body = new byte[tsAndAgent.Length + n + rest.Length];
        tsAndAgent.CopyTo(body);
        digits[..n].CopyTo(body.AsSpan(tsAndAgent.Length));
        rest.CopyTo(body.AsSpan(tsAndAgent.Length + n));
        return body;
    }

    public static byte[] Head(DateTimeOffset ts, string agent) =>
        Encoding.UTF8.GetBytes($$"""{"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"{{agent}}","seq":""");

    public static string Invariant(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
