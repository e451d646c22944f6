namespace FacilityHub.Dashboard.Shelters;

public sealed partial class ShelterTrends
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Shelter trends: {Failed} of {Asked} history requests failed, first: {Problem}")]
        public static partial void TrendsFailed(ILogger logger, int failed, int asked, string? problem);
    }
}
