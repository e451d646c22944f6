using FacilityHub.Contracts.Sites;

namespace FacilityHub.Edge.Simulation;

internal enum DeviceKind
{
    Ap,
    Shelter,
    Weather,
}

/// <summary>One device this agent pretends to be: an access point, a shelter's tablet or a weather station.</summary>
internal sealed record SimulatedDevice(DeviceKind Kind, Site Site, AccessPoint? AccessPoint = null)
{
    public string Id => AccessPoint?.Id ?? Site.Id;

    /// <summary>
    /// Every device of the chosen kinds in the registry, optionally only at the chosen sites: all APs of
    /// every site that has APs, every shelter, every weather station.
    /// </summary>
    public static IReadOnlyList<SimulatedDevice> Select(SiteRegistry registry, IReadOnlySet<DeviceKind> kinds, IReadOnlySet<string>? sites = null)
    {
        var devices = new List<SimulatedDevice>();
        foreach (var site in registry.Sites)
        {
            if (sites is { Count: > 0 } && !sites.Contains(site.Id))
            {
                continue;
            }
            if (kinds.Contains(DeviceKind.Ap) && site.HasAccessPoints)
            {
                devices.AddRange(registry.AccessPointsAt(site.Id).Select(ap => new SimulatedDevice(DeviceKind.Ap, site, ap)));
            }
            if (kinds.Contains(DeviceKind.Shelter) && site.Kind == SiteKind.Shelter)
            {
                devices.Add(new SimulatedDevice(DeviceKind.Shelter, site));
            }
            if (kinds.Contains(DeviceKind.Weather) && site.Kind == SiteKind.WeatherStation)
            {
                devices.Add(new SimulatedDevice(DeviceKind.Weather, site));
            }
        }
        return devices;
    }
}
