using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Edge.Publishing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Simulation;

internal static class SimulationServiceCollectionExtensions
{
    /// <summary>
    /// The simulated devices and the loop that queues their messages in the outbox. Register after
    /// <see cref="Outbox.OutboxServiceCollectionExtensions.AddOutbox"/>: hosted services stop in reverse
    /// order, so the simulator stops before the outbox's writer commits what is left.
    /// </summary>
    public static IServiceCollection AddSimulator(this IServiceCollection services)
    {
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => DeviceSimulator.Create(
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value,
            sp.GetRequiredService<SiteRegistry>(),
            sp.GetRequiredService<TopicScheme>(),
            sp.GetRequiredService<IOptions<AgentOptions>>().Value.Id,
            sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddHostedService<SimulatorService>();
        return services;
    }
}
