using FacilityHub.Dashboard.History;

namespace FacilityHub.Dashboard.Shelters;

public static class SheltersServiceCollectionExtensions
{
    /// <summary>The shelter page's shared trend cache, over <see cref="HistoryClient"/>.</summary>
    public static IServiceCollection AddShelters(this IServiceCollection services)
    {
        services.AddHistory();
        services.AddSingleton<ShelterTrends>();
        return services;
    }
}
