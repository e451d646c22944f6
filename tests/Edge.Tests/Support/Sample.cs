using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;
using FacilityHub.Edge.Simulation;
using FacilityHub.TestSupport;

namespace FacilityHub.Edge.Tests.Support;

/// <summary>The sample registry and the pieces the simulator tests build from it.</summary>
internal static class Sample
{
    public static readonly SiteRegistry Registry = SiteRegistry.Load(RepoPaths.SampleRegistry);

    public static readonly TopicScheme Topics = new();

    public static readonly MessageDecoder Decoder = new(Topics, Registry, new DecodeLimits());

    /// <summary>Monday 2026-11-23, 00:00 in Hitachi.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(9));

    public static readonly IReadOnlySet<DeviceKind> AllKinds = new HashSet<DeviceKind> { DeviceKind.Ap, DeviceKind.Shelter, DeviceKind.Weather };

    public static IReadOnlyList<SimulatedDevice> AllDevices() => SimulatedDevice.Select(Registry, AllKinds);

    public static DeviceSimulator Simulator(Scenario scenario, DateTimeOffset evacuationStart, int seed = 1) =>
        DeviceSimulator.Create(
            new SimulatorOptions { Seed = seed, Scenario = scenario.ToString(), EvacuationStart = evacuationStart },
            Registry,
            Topics,
            "edge-test",
            evacuationStart);

    public static ShelterModel Shelters(Scenario scenario, DateTimeOffset evacuationStart, int seed = 1) => new(seed, scenario, evacuationStart);

    public static AccessPointModel AccessPoints(int seed = 1) => new(seed, Shelters(Scenario.Normal, Monday, seed), Registry);

    public static IEnumerable<DateTimeOffset> Every(DateTimeOffset from, TimeSpan length, TimeSpan step)
    {
        for (var t = from; t < from + length; t += step)
        {
            yield return t;
        }
    }
}
