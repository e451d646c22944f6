namespace FacilityHub.Edge.Outbox;

internal sealed partial class OutboxWriter
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Outbox writer stopped; committed the last {Count} queued messages")]
        public static partial void Flushed(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Error, "Cannot commit {Count} messages to the outbox: {Reason}; sources wait; retrying in {RetryIn}")]
        public static partial void CommitFailed(ILogger logger, int count, string reason, TimeSpan retryIn);

        [LoggerMessage(3, LogLevel.Warning, "Could not drop expired messages from the outbox: {Reason}; trying again in a minute")]
        public static partial void ExpiryFailed(ILogger logger, string reason);
    }
}
