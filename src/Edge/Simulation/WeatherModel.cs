using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;

namespace FacilityHub.Edge.Simulation;

/// <summary>
/// Weather at a station. The city shares one synoptic state (air mass, pressure systems, the winter
/// monsoon, rainy spells) and each station adds its own place: inland stations stand higher, so they
/// are colder and windier, and only coastal ones get the daytime sea breeze. Temperature follows the
/// season and the day (minimum near dawn, maximum early afternoon); humidity comes from a slowly
/// varying dew point, so it falls as the day warms. Rain falls in passing showers whose intensity is
/// a smooth curve; the 10-minute, 1-hour and 24-hour amounts are integrals of that one curve and so
/// always agree with each other.
/// </summary>
internal sealed class WeatherModel(int seed)
{
    private const string City = "hitachi-air";

    private const ulong SaltSynoptic = 0xB001, SaltLocal = 0xB002, SaltDewDepression = 0xB003, SaltPressure = 0xB004,
        SaltPressureLocal = 0xB005, SaltWindDir = 0xB006, SaltWindSpeed = 0xB007, SaltGust = 0xB008, SaltTurbulence = 0xB009,
        SaltWet = 0xB00A, SaltShower = 0xB00B, SaltShowerStart = 0xB00C, SaltShowerLength = 0xB00D, SaltShowerPeak = 0xB00E,
        SaltShowerMiss = 0xB00F, SaltShowerShare = 0xB010, SaltHumiditySensor = 0xB011, SaltWindSensor = 0xB012;

    private static readonly TimeSpan ShowerWindow = TimeSpan.FromHours(2);
    private static readonly TimeSpan LongestShower = TimeSpan.FromMinutes(90);
    private static readonly TimeSpan SensorWindow = TimeSpan.FromHours(6);

    // JMA's tipping-bucket rain gauges count in 0.5 mm steps.
    private const double RainStepMm = 0.5;

    public WeatherObservation Observe(Site station, DateTimeOffset t)
    {
        var place = Place.Of(station);
        var hour = CityTime.Hour(t);

        // Air stays cool and damp for a while after a shower, so look back an hour.
        var recentRainMmPerMin = Rain(station.Id, t - TimeSpan.FromHours(1), t) / 60;
        var raining = Math.Min(1, recentRainMmPerMin / 0.05);
        var wet = Wetness(t);

        // Temperature: seasonal mean, the city's air mass, a little local drift, height, then the day.
        var airMass = (3 * Noise.Centered(seed, City, t, TimeSpan.FromDays(2), SaltSynoptic))
            + (0.6 * Noise.Centered(seed, station.Id, t, TimeSpan.FromHours(6), SaltLocal));
        var mean = SeasonalMeanC(t) + airMass - (0.0065 * place.ElevationM);
        var range = (place.InlandKm < 2 ? 7.5 : 9.5) * (1 - (0.5 * Math.Max(wet, raining)));
        var temperature = mean + (range / 2 * DiurnalShape(hour)) - (1.5 * raining);

        // Humidity: the dew point hardly follows the day, so relative humidity peaks at dawn.
        var depression = Math.Max(0.5, 6 + (3 * Noise.Centered(seed, City, t, TimeSpan.FromDays(1), SaltDewDepression)) - (5 * wet));
        var dewPoint = Math.Min(temperature, mean - range / 2 + 2 - depression + (depression * 0.8 * raining));
        var humidity = Math.Clamp(100 * SaturationRatio(dewPoint, temperature), 10, 100);

        // Sea-level pressure: travelling highs and lows over days, the twice-daily atmospheric tide.
        var pressure = 1016 + (9 * Noise.Centered(seed, City, t, TimeSpan.FromDays(3), SaltPressure)) - (6 * wet)
            + (0.8 * Math.Cos(2 * Math.PI * (hour - 9) / 12))
            + (0.3 * Noise.Centered(seed, station.Id, t, TimeSpan.FromHours(1), SaltPressureLocal));

        var (speed, fromDeg, gust) = Wind(station.Id, place, t, hour, wet);

        var sensorWindow = Noise.FloorDiv(t.UtcTicks, SensorWindow.Ticks);
        var humidityBroken = Noise.Unit(seed, station.Id, sensorWindow, SaltHumiditySensor) < 0.03;
        var windBroken = Noise.Unit(seed, station.Id, sensorWindow, SaltWindSensor) < 0.02;

        return new WeatherObservation(
            CityTime.Stamp(t),
            TemperatureC: Math.Round(temperature, 1),
            HumidityPct: humidityBroken ? null : Math.Round(humidity),
            PressureHpa: Math.Round(pressure, 1),
            WindSpeedMs: windBroken ? null : Math.Round(speed, 1),
            WindDirDeg: windBroken ? null : Math.Round(fromDeg) % 360,
            GustMs: windBroken ? null : Math.Round(gust, 1),
            Rain10mMm: RainGauge(station.Id, t, TimeSpan.FromMinutes(10)),
            Rain1hMm: RainGauge(station.Id, t, TimeSpan.FromHours(1)),
            Rain24hMm: RainGauge(station.Id, t, TimeSpan.FromHours(24)));
    }

    /// <summary>Hitachi's monthly normals: about 4 °C at the start of February, 25 °C in early August.</summary>
    private static double SeasonalMeanC(DateTimeOffset t)
    {
        var dayOfYear = CityTime.Local(t).DayOfYear;
        return 14.2 - (10.3 * Math.Cos(2 * Math.PI * (dayOfYear - 33) / 365.25));
    }

    /// <summary>-1 at dawn (06:15), +1 at 14:00, half-cosines in between.</summary>
    private static double DiurnalShape(double hour)
    {
        const double dawn = 6.25, warmest = 14.0;
        if (hour >= dawn && hour < warmest)
        {
            return -Math.Cos(Math.PI * (hour - dawn) / (warmest - dawn));
        }
        var sinceWarmest = (hour - warmest + 24) % 24;
        return Math.Cos(Math.PI * sinceWarmest / (24 - (warmest - dawn)));
    }

    /// <summary>Saturation vapour pressure at the dew point over that at the air temperature (Magnus formula).</summary>
    private static double SaturationRatio(double dewPointC, double temperatureC) =>
        Math.Exp((17.625 * dewPointC / (243.04 + dewPointC)) - (17.625 * temperatureC / (243.04 + temperatureC)));

    /// <summary>0 on a dry day, up to 1 in a rainy spell; a high power so that most days are dry.</summary>
    private double Wetness(DateTimeOffset t)
    {
        var s = Noise.Smooth(seed, City, t, TimeSpan.FromHours(18), SaltWet);
        return s * s * s * s;
    }

    private (double Speed, double FromDeg, double Gust) Wind(string id, Place place, DateTimeOffset t, double hour, double wet)
    {
        // November brings the north-westerly winter monsoon; rainy spells come with stronger wind.
        var synopticFrom = 300 + (40 * Noise.Centered(seed, City, t, TimeSpan.FromDays(1), SaltWindDir));
        var synopticSpeed = 0.5 + (4 * Noise.Smooth(seed, City, t, TimeSpan.FromHours(12), SaltWindSpeed)) + (3 * wet);
        var (x, y) = Vector(synopticFrom, synopticSpeed);

        if (place.InlandKm < 3)
        {
            // Sea breeze from the Pacific (ESE) by day, a weak land breeze from the west at night.
            var (bx, by) = hour is > 9 and < 18
                ? Vector(110, 2.5 * Math.Sin(Math.PI * (hour - 9) / 9))
                : Vector(270, 1.0);
            x += bx;
            y += by;
        }

        var exposure = place.ElevationM > 150 ? 1.3 : 1.0;
        var turbulence = 1 + (0.2 * Noise.Centered(seed, id, t, TimeSpan.FromMinutes(10), SaltTurbulence));
        var speed = Math.Clamp(Math.Sqrt((x * x) + (y * y)) * exposure * turbulence, 0, 60);
        var fromDeg = ((Math.Atan2(x, y) * 180 / Math.PI) + 180 + 360) % 360;
        var gust = (speed * (1.4 + (0.5 * Noise.Smooth(seed, id, t, TimeSpan.FromMinutes(10), SaltGust)))) + 0.3;
        return (speed, fromDeg, gust);
    }

    /// <summary>The wind vector a wind blowing from <paramref name="fromDeg"/> pushes air along (x east, y north).</summary>
    private static (double X, double Y) Vector(double fromDeg, double speed)
    {
        var toRad = (fromDeg + 180) * Math.PI / 180;
        return (speed * Math.Sin(toRad), speed * Math.Cos(toRad));
    }

    /// <summary>What the gauge shows for the period ending at <paramref name="t"/>: whole 0.5 mm tips.</summary>
    private double RainGauge(string id, DateTimeOffset t, TimeSpan period) =>
        Math.Floor(Rain(id, t - period, t) / RainStepMm) * RainStepMm;

    /// <summary>Rain in mm that fell at a station between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public double Rain(string id, DateTimeOffset from, DateTimeOffset to)
    {
        var total = 0.0;
        var first = Noise.FloorDiv((from - LongestShower).UtcTicks, ShowerWindow.Ticks);
        var last = Noise.FloorDiv(to.UtcTicks, ShowerWindow.Ticks);
        for (var w = first; w <= last; w++)
        {
            if (ShowerAt(id, w) is not { } shower)
            {
                continue;
            }
            total += shower.Between(from, to);
        }
        return total;
    }

    /// <summary>
    /// The shower of one two-hour window, if any, as this station sees it. Showers are drawn for the
    /// whole city; a station may lie outside the cell, or get more or less than the others.
    /// </summary>
    private Shower? ShowerAt(string id, long window)
    {
        var windowStart = new DateTimeOffset(window * ShowerWindow.Ticks, TimeSpan.Zero);
        // Tuned to Hitachi's November: about 90 mm over eight or nine wet days.
        var chance = 0.01 + (0.3 * Wetness(windowStart));
        if (Noise.Unit(seed, City, window, SaltShower) >= chance || Noise.Unit(seed, id, window, SaltShowerMiss) < 0.25)
        {
            return null;
        }
        var start = windowStart + (ShowerWindow * Noise.Unit(seed, City, window, SaltShowerStart));
        var length = TimeSpan.FromMinutes(20 + (60 * Noise.Unit(seed, City, window, SaltShowerLength)));
        var peak = Noise.Unit(seed, City, window, SaltShowerPeak);
        var share = 0.6 + (0.8 * Noise.Unit(seed, id, window, SaltShowerShare));
        return new Shower(start, length, (0.03 + (0.4 * peak * peak)) * share);
    }

    /// <summary>A raised-cosine burst of rain: intensity rises from zero to a peak (mm/min) and back.</summary>
    private readonly record struct Shower(DateTimeOffset Start, TimeSpan Length, double PeakMmPerMin)
    {
        public double Between(DateTimeOffset from, DateTimeOffset to)
        {
            var a = Math.Clamp((from - Start).TotalMinutes, 0, Length.TotalMinutes);
            var b = Math.Clamp((to - Start).TotalMinutes, 0, Length.TotalMinutes);
            return b <= a ? 0 : Cumulative(b) - Cumulative(a);
        }

        private double Cumulative(double minutes)
        {
            var d = Length.TotalMinutes;
            return PeakMmPerMin * 0.5 * (minutes - (d / (2 * Math.PI) * Math.Sin(2 * Math.PI * minutes / d)));
        }
    }

    /// <summary>Where a station stands, from its coordinates.</summary>
    private readonly record struct Place(double InlandKm, double ElevationM)
    {
        public static Place Of(Site station)
        {
            // Hitachi's coast runs roughly NNE; the Abukuma hills rise steeply a few km inland.
            var coastLon = 140.625 + (0.44 * (station.Lat - 36.50));
            var inlandKm = Math.Max(0, (coastLon - station.Lon) * 89);
            return new Place(inlandKm, Math.Min(500, inlandKm * 45));
        }
    }
}
