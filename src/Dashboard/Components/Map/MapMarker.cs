namespace FacilityHub.Dashboard.Components.Map;

/// <summary>
/// One site on a <see cref="SiteMap"/>. <paramref name="Label"/> is the short text drawn on the marker ("満 92%"),
/// so the state is readable without colour; <paramref name="CssClass"/> picks the colour (e.g. <c>lvl-full</c>
/// from app.css) and is also the marker's <c>data-level</c>; <paramref name="Title"/> is the hover and
/// screen-reader text.
/// </summary>
public sealed record MapMarker(string Id, double Lat, double Lon, string Label, string CssClass, string Title);
