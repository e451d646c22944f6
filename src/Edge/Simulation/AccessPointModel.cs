using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;

namespace FacilityHub.Edge.Simulation;

/// <summary>
/// Wi-Fi access point load. Clients follow the opening hours and rhythm of the building (quiet at night,
/// a mid-morning and a mid-afternoon peak), the Civic Center's hall APs get an evening event crowd on
/// event days, shelter gym APs carry the evacuees' phones, and every AP now and then goes down for a
/// few minutes. Everything else (channel utilisation, throughput, CPU) is derived from the client count.
/// </summary>
internal sealed class AccessPointModel(int seed, ShelterModel shelters, SiteRegistry registry)
{
    private const ulong SaltOutage = 0xA001, SaltOutageStart = 0xA002, SaltOutageLength = 0xA003, SaltReboot = 0xA004,
        SaltLoad = 0xA005, SaltBand = 0xA006, SaltInterference = 0xA007, SaltThroughput = 0xA008, SaltNoise = 0xA009,
        SaltCpu = 0xA00A, SaltMem = 0xA00B, SaltEventDay = 0xA00C, SaltAttendance = 0xA00D;

    private static readonly TimeSpan OutageWindow = TimeSpan.FromHours(6);
    private const double OutageChancePerWindow = 0.02;

    // Where the Civic Center's event crowd gathers: the registry labels hall APs with ホール.
    private const string HallMarker = "ホール";
    private const string EventKey = "civic-events";

    private static readonly (double, double)[] CivicDay =
    [
        (0, 0.02), (7, 0.03), (8.5, 0.15), (10, 0.7), (11, 1.0), (12, 0.85), (12.5, 0.75), (13.5, 0.85),
        (15, 0.95), (16.5, 0.8), (18, 0.55), (20, 0.4), (22, 0.1), (23, 0.03), (24, 0.02),
    ];

    // Community centers: classes in the morning and afternoon, circles in the evening, closed at night.
    private static readonly (double, double)[] CommunityDay =
    [
        (0, 0.01), (8.5, 0.02), (9.5, 0.5), (11, 1.0), (12, 0.6), (13, 0.55), (14.5, 0.95), (16, 0.7),
        (17, 0.4), (19, 0.5), (21, 0.3), (22, 0.02), (24, 0.01),
    ];

    // School gyms: PE lessons and after-school clubs.
    private static readonly (double, double)[] GymDay =
    [
        (0, 0), (8, 0.05), (10, 0.3), (11, 0.4), (15, 0.35), (17, 0.5), (18.5, 0.1), (19, 0), (24, 0),
    ];

    // A concert: the foyer fills from 18:00, the hall is full until about 21:00.
    private static readonly (double, double)[] EventEvening =
    [
        (0, 0), (17, 0), (18, 0.6), (18.6, 1.0), (19, 0.9), (20.8, 0.9), (21.2, 0.4), (21.6, 0), (24, 0),
    ];

    public ApSample Sample(Site site, AccessPoint ap, DateTimeOffset t)
    {
        var ts = CityTime.Stamp(t);
        var (down, bootedAt) = Power(ap.Id, t);
        if (down)
        {
            return new ApSample(ts, ApStatus.Down);
        }

        var clients = Clients(site, ap, t);
        var share5g = 0.65 + (0.1 * Noise.Centered(seed, ap.Id, t, TimeSpan.FromMinutes(30), SaltBand));
        var clients5g = (int)Math.Round(clients * share5g);
        var clients2g = clients - clients5g;

        // 2.4 GHz is crowded by neighbours' networks and microwaves even when our own clients are few.
        var interference = Noise.Smooth(seed, ap.Id, t, TimeSpan.FromMinutes(7), SaltInterference);
        var util2g = Math.Clamp(12 + (1.4 * clients2g) + (10 * interference), 0, 98);
        var util5g = Math.Clamp(4 + (0.55 * clients5g) + (4 * interference), 0, 95);

        // Clients mostly download: per-client averages of a few hundred kbit/s down, under 100 up.
        var activity = 0.5 + Noise.Smooth(seed, ap.Id, t, TimeSpan.FromMinutes(3), SaltThroughput);
        var txBps = (long)((clients * 350_000 * activity) + 20_000);
        var rxBps = (long)((clients * 90_000 * activity) + 5_000);

        var noiseDbm = Math.Round(-95 + (4 * Noise.Smooth(seed, ap.Id, t, TimeSpan.FromMinutes(11), SaltNoise)));
        var cpu = Math.Clamp(4 + (0.25 * clients) + (6 * Noise.Smooth(seed, ap.Id, t, TimeSpan.FromMinutes(2), SaltCpu)), 0, 100);
        var mem = Math.Clamp(32 + (0.08 * clients) + (3 * Noise.Smooth(seed, ap.Id, t, TimeSpan.FromHours(1), SaltMem)), 0, 100);

        return new ApSample(
            ts,
            ApStatus.Up,
            Clients2g: clients2g,
            Clients5g: clients5g,
            ChannelUtil2gPct: Math.Round(util2g, 1),
            ChannelUtil5gPct: Math.Round(util5g, 1),
            RxBps: rxBps,
            TxBps: txBps,
            NoiseDbm: noiseDbm,
            UptimeS: Math.Max(0, (long)(t - bootedAt).TotalSeconds),
            CpuPct: Math.Round(cpu, 1),
            MemPct: Math.Round(mem, 1));
    }

    /// <summary>Total associated clients, before the 2.4/5 GHz split.</summary>
    public int Clients(Site site, AccessPoint ap, DateTimeOffset t)
    {
        var hour = CityTime.Hour(t);
        var weekend = CityTime.IsWeekend(t);
        var (curve, peakClients, weekendFactor) = site.Kind switch
        {
            SiteKind.CivicCenter => (CivicDay, 45.0, 1.1),
            SiteKind.CommunityCenter => (CommunityDay, 25.0, 0.7),
            _ => (GymDay, 20.0, 0.3),
        };
        var load = CityTime.Curve(curve, hour) * peakClients * (weekend ? weekendFactor : 1.0);
        load *= 1 + (0.25 * Noise.Centered(seed, ap.Id, t, TimeSpan.FromMinutes(5), SaltLoad));

        if (site.Kind == SiteKind.CivicCenter && ap.Label?.Contains(HallMarker, StringComparison.Ordinal) == true)
        {
            load += EventCrowd(t);
        }
        if (site.Kind == SiteKind.Shelter)
        {
            // Most evacuees carry a phone; they spread over the gym's APs.
            var aps = Math.Max(1, registry.AccessPointsAt(site.Id).Count);
            load += shelters.Occupancy(site, t) * 0.7 / aps;
        }
        return (int)Math.Clamp(Math.Round(load), 0, 500);
    }

    /// <summary>Clients an event adds to each hall AP: most evenings have a concert or a lecture.</summary>
    private double EventCrowd(DateTimeOffset t)
    {
        var day = CityTime.DayNumber(t);
        if (Noise.Unit(seed, EventKey, day, SaltEventDay) >= 0.6)
        {
            return 0;
        }
        var attendance = 0.5 + (0.5 * Noise.Unit(seed, EventKey, day, SaltAttendance));
        return CityTime.Curve(EventEvening, CityTime.Hour(t)) * 120 * attendance;
    }

    /// <summary>
    /// Whether the AP is down at <paramref name="t"/>, and when it last booted: the weekly maintenance
    /// reboot (Monday around 03:00) or the end of its latest outage, whichever is later.
    /// </summary>
    public (bool Down, DateTimeOffset BootedAt) Power(string apId, DateTimeOffset t)
    {
        var bootedAt = LastMaintenanceReboot(apId, t);
        var window = Noise.FloorDiv(t.UtcTicks, OutageWindow.Ticks);
        for (var w = window; w >= window - 28; w--)
        {
            if (Outage(apId, w) is not { } outage)
            {
                continue;
            }
            if (t >= outage.Start && t < outage.End)
            {
                return (true, bootedAt);
            }
            if (outage.End <= t && outage.End > bootedAt)
            {
                bootedAt = outage.End;
            }
        }
        return (false, bootedAt);
    }

    private (DateTimeOffset Start, DateTimeOffset End)? Outage(string apId, long window)
    {
        if (Noise.Unit(seed, apId, window, SaltOutage) >= OutageChancePerWindow)
        {
            return null;
        }
        var windowStart = new DateTimeOffset(window * OutageWindow.Ticks, TimeSpan.Zero);
        var start = windowStart + (OutageWindow * 0.8 * Noise.Unit(seed, apId, window, SaltOutageStart));
        var length = TimeSpan.FromMinutes(5 + (35 * Noise.Unit(seed, apId, window, SaltOutageLength)));
        return (start, start + length);
    }

    private DateTimeOffset LastMaintenanceReboot(string apId, DateTimeOffset t)
    {
        var local = CityTime.Local(t);
        var sinceMonday = ((int)local.DayOfWeek + 6) % 7;
        var jitter = TimeSpan.FromMinutes(30 * Noise.Unit(seed, apId, 0, SaltReboot));
        var reboot = new DateTimeOffset(local.Date.AddDays(-sinceMonday), CityTime.Offset) + TimeSpan.FromHours(3) + jitter;
        return reboot > t ? reboot.AddDays(-7) : reboot;
    }
}
