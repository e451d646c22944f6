namespace FacilityHub.Edge.Simulation;

internal sealed partial class SimulatorService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "Simulating {AccessPoints} access points, {Shelters} shelters and {Stations} weather stations every {Interval}; scenario {Scenario} (evacuation order at {EvacuationStart:yyyy-MM-dd HH:mm zzz}), seed {Seed}")]
        public static partial void Simulating(
            ILogger logger, int accessPoints, int shelters, int stations, TimeSpan interval, Scenario scenario, DateTimeOffset evacuationStart, int seed);

        [LoggerMessage(2, LogLevel.Information, "Queued {Count} messages in the outbox in the last {Window} ({Total} since start)")]
        public static partial void Queued(ILogger logger, long count, TimeSpan window, long total);

        [LoggerMessage(3, LogLevel.Information, "Replaying readings from {StartAt:yyyy-MM-dd HH:mm:ss zzz} at {Speed}× real time until the simulated clock catches up")]
        public static partial void Replaying(ILogger logger, DateTimeOffset startAt, double speed);

        [LoggerMessage(4, LogLevel.Information, "Produced {Total} messages (Simulator:MaxMessages); the simulator stops, the outbox keeps publishing until the hub has acknowledged them")]
        public static partial void Finished(ILogger logger, long total);
    }
}
