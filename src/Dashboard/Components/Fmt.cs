using System.Globalization;

namespace FacilityHub.Dashboard.Components;

/// <summary>Numbers as the pages show them: invariant digits whatever the server's culture, "—" when missing.</summary>
public static class Fmt
{
    public const string Missing = "—";

    public static string Num(double? value, string format = "0.0") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : Missing;

    public static string Int(long? value) =>
        value is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : Missing;

    /// <summary>A CSS percentage for a bar's width, clamped to 0–100.</summary>
    public static string CssPct(double? value) =>
        (value is { } v && double.IsFinite(v) ? Math.Clamp(v, 0, 100) : 0).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string CssDeg(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "deg";

    /// <summary>For data-* attributes: Blazor would otherwise render a bool as a bare or absent attribute.</summary>
    public static string Bool(bool value) => value ? "true" : "false";
}
