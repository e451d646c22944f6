namespace FacilityHub.Dashboard.Security;

/// <summary>
/// Headers every response carries. The policy allows only this site's own scripts (no inline script,
/// no eval), inline styles (Blazor's reconnect UI and Leaflet position elements with style attributes),
/// images from this site, data: URIs and the configured map tile host, form posts to this site and the
/// configured sign-in directory, and no framing at all.
/// </summary>
public static class SecurityHeaders
{
    /// <param name="tiles">The map tile server's origin (<see cref="Components.Map.MapOptions.TileOrigin"/>), if any.</param>
    /// <param name="directory">The sign-in directory's origin (<see cref="Account.DirectoryOptions.Origin"/>), if any.</param>
    public static string ContentSecurityPolicy(string? tiles, string? directory)
    {
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

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? tiles, string? directory)
    {
        var policy = ContentSecurityPolicy(tiles, directory);
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
}
