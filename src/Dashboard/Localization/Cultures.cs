using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace FacilityHub.Dashboard.Localization;

/// <summary>
/// The dashboard speaks Japanese unless a person switches to English. The choice lives in the
/// standard culture cookie only: the browser's Accept-Language is ignored on purpose, because the
/// city's staff share wall screens and laptops whose browsers are often set to English.
/// </summary>
public static class Cultures
{
    public const string Japanese = "ja-JP";
    public const string English = "en";

    public static IReadOnlyList<string> Supported { get; } = [Japanese, English];

    public static bool IsSupported(string? culture) => culture is Japanese or English;

    public static IServiceCollection AddDashboardLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Supported.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture(Japanese);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        return services;
    }

    /// <summary><c>POST /culture</c>: sets the culture cookie and goes back to the page the form was on.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder app)
    {
        // A form post (so it carries the anti-forgery token like every other form), never a link.
        app.MapPost("/culture", (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            if (!IsSupported(culture))
            {
                return Results.Problem(
                    $"culture must be one of {string.Join(", ", Supported)}, got '{culture}'",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Unsupported culture");
            }
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions
                {
                    Expires = DateTimeOffset.UtcNow.AddYears(1),
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                });
            return Results.LocalRedirect(LocalPath(returnUrl));
        });
        return app;
    }

    /// <summary>Only a path on this site: anything else (an absolute or protocol-relative URL) goes home.</summary>
    public static string LocalPath(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : "/";
}
