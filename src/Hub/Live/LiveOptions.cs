using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Live;

public sealed class LiveOptions : IValidatedOptions
{
    public const string Section = "Live";

    /// <summary>How often changed devices are pushed to each view: bounds browser updates whatever the ingest rate.</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public IEnumerable<string> Problems()
    {
        if (PushInterval < TimeSpan.FromMilliseconds(10) || PushInterval > TimeSpan.FromSeconds(60))
        {
            yield return $"Live:PushInterval {PushInterval} must be between 10 ms and 60 s";
        }
    }
}
