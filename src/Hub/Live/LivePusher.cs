using FacilityHub.Contracts.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Live;

/// <summary>
/// Sends each view the latest state of the devices that changed since its last push, as soon as something changes:
/// a lone reading goes out at once; what changes while a push is being sent (and during the optional
/// <see cref="LiveOptions.PushInterval"/>) is conflated per device into the next one. The dashboard bounds its own renders.
/// </summary>
internal sealed partial class LivePusher(
    LatestState state,
    IHubContext<LiveHub, ILiveClient> hub,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<LivePusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PushInterval;
        try
        {
            while (true)
            {
                await state.WaitForChangeAsync(stoppingToken);
                try
                {
                    await PushAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed send affects that push only; the next one carries on with fresh changes.
                    LogPushFailed(logger, e);
                }
                if (interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PushAsync(CancellationToken ct)
    {
        if (state.TakeChangedAps() is { Count: > 0 } aps)
        {
            await hub.Clients.Group(LiveViews.Aps).ApsChanged(aps);
        }
        if (state.TakeChangedShelters() is { Count: > 0 } shelters)
        {
            await hub.Clients.Group(LiveViews.Shelters).SheltersChanged(shelters);
        }
        if (state.TakeChangedWeather() is { Count: > 0 } weather)
        {
            await hub.Clients.Group(LiveViews.Weather).WeatherChanged(weather);
        }
        if (state.TakeChangedAgents() is { Count: > 0 } agents)
        {
            await hub.Clients.Group(LiveViews.Agents).AgentsChanged(agents);
        }
        ct.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
