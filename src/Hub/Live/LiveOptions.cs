using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Live;

public sealed class LiveOptions : IValidatedOptions
{
    public const string Section = "Live";

    /// <summary>
    /// The least time between two pushes of changed devices: the first change after a quiet spell goes at once, a burst
    /// is conflated per device into one push per interval. Bounds messages to live clients whatever the ingest rate.
    /// </summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>On start, the latest reading of each device within this window is reloaded from InfluxDB, so a restart does not blank the dashboards.</summary>
    public TimeSpan RestoreWindow { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<string> Problems()
    {
        if (RestoreWindow < TimeSpan.Zero || RestoreWindow > TimeSpan.FromDays(366))
        {
            yield return $"Live:RestoreWindow {RestoreWindow} must be between zero (no restore) and 366 days";
        }
        if (PushInterval < TimeSpan.FromMilliseconds(1) || PushInterval > TimeSpan.FromSeconds(60))
        {
            yield return $"Live:PushInterval {PushInterval} must be between 1 ms and 60 s";
        }
    }
}
