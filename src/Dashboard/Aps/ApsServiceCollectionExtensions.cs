using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Aps;

public static class ApsServiceCollectionExtensions
{
    /// <summary>Options <c>Aps</c> (the overload rule), checked at start-up.</summary>
    public static IServiceCollection AddApViews(this IServiceCollection services)
    {
        services.AddOptions<ApHealthOptions>().BindConfiguration(ApHealthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApHealthOptions>, ApHealthOptionsValidator>();
        return services;
    }
}
