using FacilityHub.Dashboard.Account;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Live;

public static class LiveFeedServiceCollectionExtensions
{
    /// <summary>Options <c>Hub</c> and <c>Dashboard</c>, and the one <see cref="LiveFeed"/> of this process, started with the host.</summary>
    public static IServiceCollection AddLiveFeed(this IServiceCollection services)
    {
        services.AddOptions<HubOptions>().BindConfiguration(HubOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubOptions>, HubOptionsValidator>();
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HubToken.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<HubToken>();
        services.AddTransient<HubTokenHandler>();
        // Every request to the hub carries the service token (and gets one retry with a fresh token after a 401).
        services.AddHttpClient(LiveFeed.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .AddHttpMessageHandler<HubTokenHandler>();
        services.AddHttpClient<HubAccounts>(client => client.Timeout = TimeSpan.FromSeconds(10))
            .AddHttpMessageHandler<HubTokenHandler>();
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }
}
