using FacilityHub.Hub.Live;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Quality;

/// <summary>
/// Marks every element of a weather station missing once it has sent no observation measured within
/// <c>Quality:MissingAfter</c>: a silent station must not go on showing its last values as if they were
/// current and good. The change is pushed once, like any other; the next observation clears it.
/// </summary>
public sealed partial class StationSilenceMonitor(
    LatestState state,
    IOptions<QualityOptions> options,
    TimeProvider time,
    ILogger<StationSilenceMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(o.MissingCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var silent in state.MarkSilentStations(time.GetUtcNow(), o.MissingAfter))
                {
                    LogStationSilent(logger, silent.StationId, silent.Observation.Ts, o.MissingAfter);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weather station {Station} has sent nothing measured since {LastTs} (over {MissingAfter}): all its elements are now missing")]
    private static partial void LogStationSilent(ILogger logger, string station, DateTimeOffset lastTs, TimeSpan missingAfter);
}
