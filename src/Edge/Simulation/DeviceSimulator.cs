using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Edge.Publishing;

namespace FacilityHub.Edge.Simulation;

/// <summary>Turns a device and a moment into the message that device would publish.</summary>
internal sealed class DeviceSimulator(
    AccessPointModel accessPoints,
    ShelterModel shelters,
    WeatherModel weather,
    TopicScheme topics,
    string agentId)
{
    /// <summary>The models for <paramref name="options"/>, as the agent runs them from <paramref name="startedAt"/>.</summary>
    public static DeviceSimulator Create(SimulatorOptions options, SiteRegistry registry, TopicScheme topics, string agentId, DateTimeOffset startedAt)
    {
        var shelters = new ShelterModel(
            options.Seed,
            options.ScenarioKind(),
            options.EvacuationStart ?? startedAt - SimulatorOptions.DefaultEvacuationLead);
        return new DeviceSimulator(
            new AccessPointModel(options.Seed, shelters, registry),
            shelters,
            new WeatherModel(options.Seed),
            topics,
            agentId);
    }

    public DateTimeOffset EvacuationStart => shelters.EvacuationStart;

    public OutgoingMessage Create(SimulatedDevice device, DateTimeOffset at, long seq) => device.Kind switch
    {
        DeviceKind.Ap => new OutgoingMessage(
            topics.Ap(device.Site.Id, device.Id),
            JsonSerializer.SerializeToUtf8Bytes(
                accessPoints.Sample(device.Site, device.AccessPoint!, at) with { Agent = agentId, Seq = seq },
                ContractsJsonContext.Default.ApSample),
            seq,
            MessageKind.Ap),
        DeviceKind.Shelter => new OutgoingMessage(
            topics.Shelter(device.Id),
            JsonSerializer.SerializeToUtf8Bytes(
                shelters.Report(device.Site, at) with { Agent = agentId, Seq = seq },
                ContractsJsonContext.Default.ShelterReport),
            seq,
            MessageKind.Shelter),
        DeviceKind.Weather => new OutgoingMessage(
            topics.Weather(device.Id),
            JsonSerializer.SerializeToUtf8Bytes(
                weather.Observe(device.Site, at) with { Agent = agentId, Seq = seq },
                ContractsJsonContext.Default.WeatherObservation),
            seq,
            MessageKind.Weather),
        _ => throw new ArgumentOutOfRangeException(nameof(device)),
    };
}
