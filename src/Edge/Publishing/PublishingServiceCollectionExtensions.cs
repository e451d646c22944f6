using FacilityHub.Contracts.Topics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Publishing;

internal static class PublishingServiceCollectionExtensions
{
    /// <summary>The broker connection (a hosted reconnect loop) and the topic scheme. Needs <c>AddOutbox</c> for the status it publishes.</summary>
    public static IServiceCollection AddMqttPublishing(this IServiceCollection services)
    {
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>());
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TopicScheme(sp.GetRequiredService<IOptions<MqttOptions>>().Value.TopicPrefix));
        services.TryAddSingleton<MqttConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttConnection>());
        return services;
    }
}
