namespace FacilityHub.Dashboard.Weather;

/// <summary>
/// Wind direction as weather maps show it. <c>windDirDeg</c> is where the wind blows <em>from</em>
/// (225 = a south-westerly, 南西の風); the arrow, as on JMA's AMeDAS map, points where it blows <em>to</em>.
/// </summary>
public static class Wind
{
    /// <summary>JMA reports wind below 0.3 m/s as 静穏 (calm), with no direction.</summary>
    public const double CalmBelowMs = 0.3;

    // Codes, not names: the page looks each up in WeatherText (Compass_NNE = 北北東 / NNE).
    private static readonly string[] Codes =
        ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];

    /// <summary>All sixteen codes, north first, clockwise.</summary>
    public static IReadOnlyList<string> CompassCodes => Codes;

    public static bool IsCalm(double? speedMs) => speedMs is { } s && s < CalmBelowMs;

    /// <summary>Clockwise rotation, in degrees, of an arrow glyph that points up (north).</summary>
    public static double ArrowRotationDeg(double fromDeg) => Normalize(fromDeg + 180);

    /// <summary>0–15 on the 16-point compass, 0 = north; a direction halfway between two points takes the clockwise one.</summary>
    public static int CompassPoint(double fromDeg) =>
        (int)Math.Round(Normalize(fromDeg) / 22.5, MidpointRounding.AwayFromZero) % 16;

    /// <summary>"N", "NNE" … "NNW": the key of the point's name in the resources.</summary>
    public static string CompassCode(double fromDeg) => Codes[CompassPoint(fromDeg)];

    private static double Normalize(double deg) => ((deg % 360) + 360) % 360;
}
