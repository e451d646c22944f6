using FacilityHub.Contracts.Crowding;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Live;

/// <summary>Crowding thresholds in percent of capacity (PROTOCOL.md defaults: 30/60/80, deadband 2).</summary>
public sealed class CrowdingOptions : IValidatedOptions
{
    public const string Section = "Crowding";

    public double SomewhatCrowdedPct { get; set; } = 30;
    public double CrowdedPct { get; set; } = 60;
    public double FullPct { get; set; } = 80;
    public double DeadbandPct { get; set; } = 2;

    public CrowdingThresholds ToThresholds() => new()
    {
        SomewhatCrowdedPct = SomewhatCrowdedPct,
        CrowdedPct = CrowdedPct,
        FullPct = FullPct,
        DeadbandPct = DeadbandPct,
    };

    public IEnumerable<string> Problems()
    {
        if (ToThresholds().Problem() is { } problem)
        {
            yield return "Crowding: " + problem;
        }
    }
}
