namespace FacilityHub.Dashboard.Security;

/// <summary>
/// Headers every response carries. The policy allows only this site's own scripts (no inline script,
/// no eval), inline styles (Blazor's reconnect UI and Leaflet position elements with style attributes),
/// images from this site, data: URIs and the configured map tile host, and no framing at all.
/// </summary>
public static class SecurityHeaders
{
    public static string ContentSecurityPolicy(string? tileOrigin) =>
        "default-src 'self'; "
        + "script-src 'self'; "
        + "style-src 'self' 'unsafe-inline'; "
        + $"img-src 'self' data:{(string.IsNullOrEmpty(tileOrigin) ? "" : " " + tileOrigin)}; "
        + "connect-src 'self'; "
        + "font-src 'self'; "
        + "object-src 'none'; "
        + "base-uri 'self'; "
        + "form-action 'self'; "
        + "frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? tileOrigin)
    {
        var policy = ContentSecurityPolicy(tileOrigin);
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
