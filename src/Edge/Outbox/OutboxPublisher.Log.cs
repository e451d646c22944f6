namespace FacilityHub.Edge.Outbox;

internal sealed partial class OutboxPublisher
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "Published {Published} new and {Resent} older messages in the last {Window}; the hub acknowledged {Acked}; {Queued} in the outbox, the oldest unacknowledged for {OldestUnackedS} s")]
        public static partial void Published(ILogger logger, long published, long resent, TimeSpan window, long acked, long queued, long oldestUnackedS);

        [LoggerMessage(2, LogLevel.Warning, "{Count} publishes failed in the last {Window} (they stay in the outbox and are re-sent); last reason: {Reason}")]
        public static partial void Failed(ILogger logger, long count, TimeSpan window, string? reason);

        [LoggerMessage(3, LogLevel.Information, "Re-sending the {Count} unacknowledged messages in the outbox, oldest first, at up to {Rate}/s beside live ones")]
        public static partial void ResendingAfterConnect(ILogger logger, long count, int rate);

        [LoggerMessage(4, LogLevel.Warning, "Re-sent {Count} messages that had no acknowledgement from the hub within {AckTimeout}")]
        public static partial void ResentAfterTimeout(ILogger logger, long count, TimeSpan ackTimeout);

        [LoggerMessage(6, LogLevel.Warning, "The hub acknowledged nothing while the outbox was re-sent; waiting {AckTimeout} for acknowledgements before the next re-send")]
        public static partial void BackingOff(ILogger logger, TimeSpan ackTimeout);

        [LoggerMessage(7, LogLevel.Information, "The hub acknowledges again; re-sending after {AckTimeout} without an acknowledgement")]
        public static partial void AcksResumed(ILogger logger, TimeSpan ackTimeout);

        [LoggerMessage(8, LogLevel.Warning, "Could not remove acknowledged messages from the outbox ({Reason}); they will be re-sent and acknowledged again")]
        public static partial void AckNotApplied(ILogger logger, string reason);

        [LoggerMessage(5, LogLevel.Warning, "Ignored a bad acknowledgement on {Topic}: {Problem} ({Total} bad acknowledgements since start; at most one logged a minute)")]
        public static partial void BadAck(ILogger logger, string topic, string problem, long total);
    }
}
