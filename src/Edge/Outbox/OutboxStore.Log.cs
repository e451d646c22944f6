namespace FacilityHub.Edge.Outbox;

internal sealed partial class OutboxStore
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Outbox {Path}: {Count} messages ({Bytes} bytes) waiting from before; last seq {LastSeq}")]
        public static partial void Opened(ILogger logger, string path, long count, long bytes, long lastSeq);

        [LoggerMessage(2, LogLevel.Information, "Outbox drained; gave {Pages} free pages back to the file system")]
        public static partial void Compacted(ILogger logger, long pages);

        [LoggerMessage(3, LogLevel.Warning,
            "Evicted {Telemetry} AP/weather messages from the outbox because {Why} ({TotalTelemetry} since the outbox was created); they will never reach the hub")]
        public static partial void EvictedTelemetry(ILogger logger, long telemetry, string why, long totalTelemetry);

        [LoggerMessage(4, LogLevel.Error,
            "Evicted {Shelters} SHELTER REPORTS from the outbox because {Why} and nothing else was left to drop ({TotalShelters} since the outbox was created); they will never reach the hub")]
        public static partial void EvictedShelters(ILogger logger, long shelters, string why, long totalShelters);
    }

    /// <summary>
    /// Logs evictions at most once a minute with the sums since the last line, so that a full outbox adds
    /// one line a minute to the log, not one per message. The first eviction is logged at once.
    /// </summary>
    private sealed class EvictionLog(TimeProvider time)
    {
        private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

        private DateTimeOffset _next = DateTimeOffset.MinValue;
        private long _telemetry;
        private long _shelters;

        public void Report(ILogger logger, long telemetry, long shelters, string why, long totalTelemetry, long totalShelters)
        {
            _telemetry += telemetry;
            _shelters += shelters;
            var now = time.GetUtcNow();
            if (now < _next)
            {
                return;
            }
            _next = now + Every;
            if (_telemetry > 0)
            {
                Log.EvictedTelemetry(logger, _telemetry, why, totalTelemetry);
            }
            if (_shelters > 0)
            {
                Log.EvictedShelters(logger, _shelters, why, totalShelters);
            }
            _telemetry = 0;
            _shelters = 0;
        }
    }
}
