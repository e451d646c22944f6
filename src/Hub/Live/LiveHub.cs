using FacilityHub.Contracts.Live;
using Microsoft.AspNetCore.SignalR;

namespace FacilityHub.Hub.Live;

/// <summary>
/// Clients join one group per dashboard view; the <see cref="LivePusher"/> sends each group the devices
/// that changed. A client loads <c>/api/latest</c> on connect and after every reconnect, so the hub never
/// has to replay missed pushes.
/// </summary>
public sealed class LiveHub : Hub<ILiveClient>
{
    public Task JoinView(string view) =>
        LiveViews.IsKnown(view)
            ? Groups.AddToGroupAsync(Context.ConnectionId, view, Context.ConnectionAborted)
            : throw new HubException($"unknown view '{view}'; views are {string.Join(", ", LiveViews.All)}");

    public Task LeaveView(string view) =>
        LiveViews.IsKnown(view)
            ? Groups.RemoveFromGroupAsync(Context.ConnectionId, view, Context.ConnectionAborted)
            : throw new HubException($"unknown view '{view}'");
}
