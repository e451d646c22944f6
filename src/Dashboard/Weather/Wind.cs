namespace FacilityHub.Dashboard.Weather;

/// <summary>
/// Wind direction as weather maps show it. <c>windDirDeg</c> is where the wind blows <em>from</em>
/// (225 = 南西の風, a south-westerly); the arrow, as on JMA's AMeDAS map, points where it blows <em>to</em>.
/// </summary>
public static class Wind
{
    /// <summary>JMA reports wind below 0.3 m/s as 静穏 (calm), with no direction.</summary>
    public const double CalmBelowMs = 0.3;

    private static readonly string[] Ja =
        ["北", "北北東", "北東", "東北東", "東", "東南東", "南東", "南南東", "南", "南南西", "南西", "西南西", "西", "西北西", "北西", "北北西"];

    private static readonly string[] En =
        ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];

    public static bool IsCalm(double? speedMs) => speedMs is { } s && s < CalmBelowMs;

    /// <summary>Clockwise rotation, in degrees, of an arrow glyph that points up (north).</summary>
    public static double ArrowRotationDeg(double fromDeg) => Normalize(fromDeg + 180);

    /// <summary>0–15 on the 16-point compass, 0 = north; a direction halfway between two points takes the clockwise one.</summary>
    public static int CompassPoint(double fromDeg) =>
        (int)Math.Round(Normalize(fromDeg) / 22.5, MidpointRounding.AwayFromZero) % 16;

    public static string CompassJa(double fromDeg) => Ja[CompassPoint(fromDeg)];

    public static string CompassEn(double fromDeg) => En[CompassPoint(fromDeg)];

    private static double Normalize(double deg) => ((deg % 360) + 360) % 360;
}
