using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Hub.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FacilityHub.Hub.Live;

/// <summary>
/// Clients join one group per dashboard view; the <see cref="LivePusher"/> sends each group the devices
/// that changed. A client loads <c>/api/latest</c> on connect and after every reconnect, so the hub never
/// has to replay missed pushes. Only signed-in callers connect, and each joins only the views its role may see.
/// </summary>
[Authorize]
internal sealed class LiveHub(LiveAccessWatch watch) : Hub<ILiveClient>
{
    public override Task OnConnectedAsync()
    {
        watch.Add(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        watch.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public Task JoinView(string view)
    {
        if (!LiveViews.IsKnown(view))
        {
            throw new HubException($"unknown view '{view}'; views are {string.Join(", ", LiveViews.All)}");
        }
        var role = Context.User?.Role() ?? "";
        return Roles.MaySee(role, view)
            ? Groups.AddToGroupAsync(Context.ConnectionId, view, Context.ConnectionAborted)
            : throw new HubException($"role '{role}' may not see view '{view}'");
    }

    public Task LeaveView(string view) =>
        LiveViews.IsKnown(view)
            ? Groups.RemoveFromGroupAsync(Context.ConnectionId, view, Context.ConnectionAborted)
            : throw new HubException($"unknown view '{view}'");
}
