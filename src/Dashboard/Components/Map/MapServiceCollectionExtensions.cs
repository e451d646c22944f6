using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Components.Map;

public static class MapServiceCollectionExtensions
{
    /// <summary>Options <c>Map</c> for <see cref="SiteMap"/>, checked at start-up.</summary>
    public static IServiceCollection AddMap(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MapOptions>().Bind(configuration.GetSection(MapOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MapOptions>, MapOptionsValidator>();
        return services;
    }
}
