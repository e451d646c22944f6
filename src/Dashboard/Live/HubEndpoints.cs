namespace FacilityHub.Dashboard.Live;

public static class HubEndpoints
{
    /// <summary>
    /// <paramref name="route"/> (one of <see cref="Contracts.Live.HubRoutes"/>, which start with '/') under the hub's
    /// base URL, keeping any path prefix the hub is published under (http://host/facility + /api/latest).
    /// </summary>
    public static Uri Resolve(Uri hubBaseUri, string route)
    {
        var prefix = hubBaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(prefix + "/" + route.TrimStart('/'), UriKind.Absolute);
    }
}
