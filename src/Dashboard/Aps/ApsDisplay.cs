using System.Globalization;
using FacilityHub.Dashboard.Components;

namespace FacilityHub.Dashboard.Aps;

/// <summary>Small presentation choices the AP pages share.</summary>
public static class ApsDisplay
{
    /// <summary>The site's name in the person's language: the registry carries both.</summary>
    public static string SiteName(string nameJa, string? nameEn) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" && !string.IsNullOrWhiteSpace(nameEn) ? nameEn : nameJa;

    /// <summary>Stable, unlocalised CSS and data-* value: <c>down</c>, <c>overloaded</c>, <c>up</c>, <c>nodata</c>.</summary>
    public static string Code(ApHealth health) => health.ToString().ToLowerInvariant();

    public static string Code(SiteAttention attention) => attention.ToString().ToLowerInvariant();

    /// <summary>"42.5%", or just "—" when there is no value (not "—%").</summary>
    public static string Pct(double? value) => value is { } v && double.IsFinite(v) ? Fmt.Num(v) + "%" : Fmt.Missing;

    public static string SitePath(string siteId) => "aps/site/" + Uri.EscapeDataString(siteId);

    public static string ApPath(string apId) => "aps/ap/" + Uri.EscapeDataString(apId);
}
