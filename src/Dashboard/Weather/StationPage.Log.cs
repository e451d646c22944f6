namespace FacilityHub.Dashboard.Weather;

public partial class StationPage
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "History of station {StationId} ({Range}) could not be loaded: {Reason}")]
        public static partial void HistoryFailed(ILogger logger, string stationId, string range, string reason);
    }
}
