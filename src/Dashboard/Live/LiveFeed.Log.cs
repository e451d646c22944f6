namespace FacilityHub.Dashboard.Live;

public sealed partial class LiveFeed
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Live feed connected to {HubUri}")]
        public static partial void Connected(ILogger logger, Uri hubUri);

        [LoggerMessage(2, LogLevel.Warning, "Live feed cannot connect to {HubUri}; retrying in {Delay}")]
        public static partial void ConnectFailed(ILogger logger, Uri hubUri, TimeSpan delay, Exception error);

        [LoggerMessage(3, LogLevel.Warning, "Live feed still cannot connect to {HubUri} after {Attempts} attempts: {Reason}")]
        public static partial void ConnectStillFailing(ILogger logger, Uri hubUri, int attempts, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Live feed connection to {HubUri} lost ({Reason}); reconnecting")]
        public static partial void Reconnecting(ILogger logger, Uri hubUri, string? reason);

        [LoggerMessage(5, LogLevel.Information, "Live feed reconnected to {HubUri}")]
        public static partial void Reconnected(ILogger logger, Uri hubUri);

        [LoggerMessage(6, LogLevel.Warning, "Live feed connection to {HubUri} closed ({Reason}); starting over")]
        public static partial void Closed(ILogger logger, Uri hubUri, string? reason);

        [LoggerMessage(7, LogLevel.Information,
            "Live feed synced: snapshot at {SnapshotAt} with {Aps} APs, {Shelters} shelters, {Stations} weather stations, {Agents} agents")]
        public static partial void Synced(ILogger logger, DateTimeOffset snapshotAt, int aps, int shelters, int stations, int agents);

        [LoggerMessage(8, LogLevel.Warning, "Live feed cannot load {Uri}; retrying in {Delay}")]
        public static partial void LoadFailed(ILogger logger, Uri uri, TimeSpan delay, Exception error);

        [LoggerMessage(9, LogLevel.Warning, "Live feed still cannot load {Uri} after {Attempts} attempts: {Reason}")]
        public static partial void LoadStillFailing(ILogger logger, Uri uri, int attempts, string reason);

        [LoggerMessage(10, LogLevel.Error, "A live feed subscriber failed on {Change}")]
        public static partial void SubscriberFailed(ILogger logger, LiveChange change, Exception error);

        [LoggerMessage(11, LogLevel.Information, "Live feed loaded the site registry from {Uri}: {Sites} sites, {AccessPoints} access points")]
        public static partial void RegistryLoaded(ILogger logger, Uri uri, int sites, int accessPoints);

        [LoggerMessage(12, LogLevel.Debug, "Live feed could not load {Uri} before the snapshot ({Reason}); it is retried after it")]
        public static partial void RegistryDeferred(ILogger logger, Uri uri, string reason);
    }
}
