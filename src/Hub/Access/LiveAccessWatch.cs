using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace FacilityHub.Hub.Access;

/// <summary>
/// A live connection is authenticated once, when it opens. This re-checks every open connection against the users
/// file once a second and closes those whose user was disabled, removed or changed since, so that disabling a user
/// ends their live stream too, not only their next request.
/// </summary>
internal sealed partial class LiveAccessWatch(UserStore users, TimeProvider time, ILogger<LiveAccessWatch> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, (HubCallerContext Context, TokenClaims Claims)> _connections = new(StringComparer.Ordinal);

    public void Add(HubCallerContext context)
    {
        if (Claims(context.User) is { } claims)
        {
            _connections[context.ConnectionId] = (context, claims);
        }
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (id, (context, claims)) in _connections)
                {
                    if (!users.Admits(claims, out var refusal))
                    {
                        _connections.TryRemove(id, out _);
                        LogClosing(logger, claims.User, id, refusal);
                        context.Abort();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static TokenClaims? Claims(ClaimsPrincipal? user) =>
        user?.FindFirstValue(ClaimTypes.Name) is { } name
        && user.FindFirstValue(ClaimTypes.Role) is { } role
        && long.TryParse(user.FindFirstValue(TokenAuthenticationHandler.IssuedAtClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new TokenClaims(name, role, new DateTimeOffset(ticks, TimeSpan.Zero), DateTimeOffset.MaxValue)
            : null;

    [LoggerMessage(EventId = 78, Level = LogLevel.Information, Message = "Closing live connection {ConnectionId} of {User}: {Refusal}")]
    private static partial void LogClosing(ILogger logger, string user, string connectionId, string refusal);
}
