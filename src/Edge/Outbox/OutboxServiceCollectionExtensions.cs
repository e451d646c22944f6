using FacilityHub.Edge.Publishing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Outbox;

internal static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// The durable outbox, the agent's <c>seq</c> (which continues above the outbox's last one), the
    /// writer that commits what sources enqueue, and the publisher that sends it and applies the hub's
    /// acks. Register after <see cref="PublishingServiceCollectionExtensions.AddMqttPublishing"/> and
    /// before the sources: hosted services stop in reverse order, so sources stop first, then the
    /// publisher, then the writer commits what is left, and last the connection says offline.
    /// </summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OutboxOptions>>().Value;
            return OutboxStore.Open(
                options.Path, options.MaxBytes, options.MaxAge, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OutboxStore>>());
        });
        services.TryAddSingleton(sp => new SequenceCounter(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OutboxStore>().LastSeq));
        services.TryAddSingleton<OutboxWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWriter>());
        services.AddHostedService<OutboxPublisher>();
        return services;
    }
}
