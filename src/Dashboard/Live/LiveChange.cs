using FacilityHub.Contracts.Live;

namespace FacilityHub.Dashboard.Live;

/// <summary>What changed in <see cref="LiveFeed"/>; components re-render only for what they show.</summary>
[Flags]
public enum LiveChange
{
    None = 0,
    Aps = 1,
    Shelters = 2,
    Weather = 4,
    Agents = 8,

    /// <summary>The site registry (names, districts, capacity, floors) was (re)loaded.</summary>
    Registry = 16,

    /// <summary><see cref="LiveFeed.ConnectionState"/> changed.</summary>
    Connection = 32,

    All = Aps | Shelters | Weather | Agents | Registry | Connection,
}

public static class LiveChanges
{
    /// <summary>The change flag for one of <see cref="LiveViews.All"/>.</summary>
    public static LiveChange ForView(string view) => view switch
    {
        LiveViews.Aps => LiveChange.Aps,
        LiveViews.Shelters => LiveChange.Shelters,
        LiveViews.Weather => LiveChange.Weather,
        LiveViews.Agents => LiveChange.Agents,
        _ => LiveChange.None,
    };
}

/// <summary>The dashboard's one link to the hub, as the connection banner shows it.</summary>
public enum LiveConnectionState
{
    /// <summary>Trying to connect (at start-up, or after the hub closed the connection for good).</summary>
    Connecting,

    Connected,

    /// <summary>The connection dropped; the client is re-establishing it.</summary>
    Reconnecting,

    /// <summary>Not connected and waiting before the next attempt.</summary>
    Disconnected,
}
