namespace FacilityHub.Edge.Simulation;

internal sealed partial class SimulatorService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "Simulating {AccessPoints} access points, {Shelters} shelters and {Stations} weather stations every {Interval}; scenario {Scenario} (evacuation order at {EvacuationStart:yyyy-MM-dd HH:mm zzz}), seed {Seed}")]
        public static partial void Simulating(
            ILogger logger, int accessPoints, int shelters, int stations, TimeSpan interval, Scenario scenario, DateTimeOffset evacuationStart, int seed);

        [LoggerMessage(2, LogLevel.Information, "Published {Count} messages in the last {Window} ({Total} since start)")]
        public static partial void Published(ILogger logger, long count, TimeSpan window, long total);

        [LoggerMessage(3, LogLevel.Warning, "{Count} messages failed to publish in the last {Window}; last reason: {Reason}")]
        public static partial void Failed(ILogger logger, long count, TimeSpan window, string? reason);
    }
}
