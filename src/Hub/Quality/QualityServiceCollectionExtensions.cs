using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Quality;

public static class QualityServiceCollectionExtensions
{
    /// <summary>Weather quality control: checks on ingest, and the periodic look for silent stations.</summary>
    public static IServiceCollection AddQuality(this IServiceCollection services)
    {
        services.AddValidatedOptions<QualityOptions>(QualityOptions.Section);
        services.AddSingleton<WeatherQualityControl>();
        services.AddHostedService<StationSilenceMonitor>();
        return services;
    }
}
