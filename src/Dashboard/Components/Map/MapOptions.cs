using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Components.Map;

/// <summary>
/// Configuration section <c>Map</c>: where map tiles come from. Empty <see cref="TileUrl"/> (the default) means
/// no tile layer at all: the map is a plain background with the markers on it and no request leaves the machine.
/// </summary>
public sealed class MapOptions
{
    public const string Section = "Map";

    /// <summary>A Leaflet tile URL template such as <c>https://tiles.example.jp/{z}/{x}/{y}.png</c>; <c>{s}</c> and <c>{r}</c> are allowed.</summary>
    public string TileUrl { get; set; } = "";

    /// <summary>
    /// Shown in the map's corner, as HTML (tile providers ask for a link, e.g.
    /// <c>&amp;copy; &lt;a href="https://www.openstreetmap.org/copyright"&gt;OpenStreetMap&lt;/a&gt; contributors</c>).
    /// It comes from the operator's configuration, never from users, so it is trusted.
    /// </summary>
    public string Attribution { get; set; } = "";

    public bool HasTiles => TileUrl.Length > 0;

    /// <summary>
    /// The tile server's origin for the Content-Security-Policy's <c>img-src</c> (<c>https://*.tile.example.jp</c>
    /// when the template uses <c>{s}</c>), or null when there are no tiles. Only read after validation.
    /// </summary>
    public string? TileOrigin => TryParseTileUrl(TileUrl, out var sample)
        ? sample.GetLeftPart(UriPartial.Authority).Replace(SubdomainSample, "*", StringComparison.Ordinal)
        : null;

    // Placeholders replaced by sample values so that System.Uri can check the rest of the template.
    private const string SubdomainSample = "subdomain-placeholder";

    internal static bool TryParseTileUrl(string? template, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? sample)
    {
        sample = null;
        if (string.IsNullOrEmpty(template)
            || !template.Contains("{z}", StringComparison.Ordinal)
            || !template.Contains("{x}", StringComparison.Ordinal)
            || !template.Contains("{y}", StringComparison.Ordinal))
        {
            return false;
        }
        var filled = template
            .Replace("{s}", SubdomainSample, StringComparison.Ordinal)
            .Replace("{z}", "1", StringComparison.Ordinal)
            .Replace("{x}", "1", StringComparison.Ordinal)
            .Replace("{y}", "1", StringComparison.Ordinal)
            .Replace("{r}", "", StringComparison.Ordinal);
        if (!Uri.TryCreate(filled, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }
        sample = parsed;
        return true;
    }
}

internal sealed class MapOptionsValidator : IValidateOptions<MapOptions>
{
    public ValidateOptionsResult Validate(string? name, MapOptions options) =>
        !options.HasTiles || MapOptions.TryParseTileUrl(options.TileUrl, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{MapOptions.Section}:TileUrl must be empty (no tiles) or an absolute http:// or https:// URL containing {{z}}, {{x}} and {{y}}, got '{options.TileUrl}'");
}
