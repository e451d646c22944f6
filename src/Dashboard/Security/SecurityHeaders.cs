using System.Text.RegularExpressions;

namespace FacilityHub.Dashboard.Security;

/// <summary>
/// Headers every response carries. The policy allows only this site's own scripts (no inline script,
/// no eval), inline styles (Blazor's reconnect UI and Leaflet position elements with style attributes),
/// images from this site, data: URIs and the configured map tile host, form posts to this site and the
/// configured sign-in directory, and no framing at all.
/// </summary>
public static partial class SecurityHeaders
{
    public static string ContentSecurityPolicy(string? tileUrl, string? directoryAuthority)
    {
        var tiles = SourceOf(tileUrl);
        var directory = SourceOf(directoryAuthority);
        return "default-src 'self'; "
            + "script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; "
            + $"img-src 'self' data:{(tiles is null ? "" : " " + tiles)}; "
            + "connect-src 'self'; "
            + "font-src 'self'; "
            + "object-src 'none'; "
            + "base-uri 'self'; "
            + $"form-action 'self'{(directory is null ? "" : " " + directory)}; "
            + "frame-ancestors 'none'";
    }

    /// <summary>
    /// The CSP source for a URL: its scheme and host. A tile template's <c>{s}</c> subdomain becomes a wildcard,
    /// so <c>https://{s}.tile.example.org/{z}/{x}/{y}.png</c> allows <c>https://*.tile.example.org</c>.
    /// </summary>
    public static string? SourceOf(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || Origin().Match(url) is not { Success: true } m)
        {
            return null;
        }
        return $"{m.Groups["scheme"].Value}://{m.Groups["host"].Value.Replace("{s}", "*", StringComparison.Ordinal)}";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? tileUrl, string? directoryAuthority)
    {
        var policy = ContentSecurityPolicy(tileUrl, directoryAuthority);
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            // Older browsers ignore frame-ancestors; this says the same to them.
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return next(context);
        });
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>[^/?#]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Origin();
}
