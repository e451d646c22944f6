using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FacilityHub.Dashboard.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="HistoryClient"/>, over the hub's named HTTP client and <c>Hub</c> options that
    /// <see cref="Live.LiveFeedServiceCollectionExtensions.AddLiveFeed"/> registers.
    /// </summary>
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HistoryClient>();
        return services;
    }
}
