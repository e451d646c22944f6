using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;

namespace FacilityHub.Hub.Access;

/// <summary>
/// <c>/api/history</c> per role: an access point's history is for who sees the <c>aps</c> view, a shelter's for
/// <c>shelters</c>, a station's for <c>weather</c>. A filter in front of the endpoint, so the query code stays as it is;
/// an id that is no such device goes on to the endpoint, which says what is wrong with it.
/// </summary>
internal static class HistoryAccess
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = http.Request.Query["id"].ToString();
        var sites = http.RequestServices.GetRequiredService<SiteRegistry>();
        if (Of(id, sites) is var (measurement, view) && http.User.Role() is var role && !Roles.MaySee(role, view))
        {
            return TypedResults.Problem(
                $"role '{role}' may not read {measurement} history; roles that may: {string.Join(", ", Roles.AllowedFor(view))}",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not allowed for this role");
        }
        return await next(context);
    }

    /// <summary>The measurement and the view an id's history belongs to; null for an id that is neither.</summary>
    public static (string Measurement, string View)? Of(string id, SiteRegistry sites)
    {
        if (id.Length == 0)
        {
            return null;
        }
        if (sites.TryGetAccessPoint(id, out _))
        {
            return ("ap", LiveViews.Aps);
        }
        if (sites.TryGetSite(id, out var site))
        {
            return site.Kind switch
            {
                SiteKind.Shelter => ("shelter", LiveViews.Shelters),
                SiteKind.WeatherStation => ("weather", LiveViews.Weather),
                _ => null,
            };
        }
        return null;
    }
}
