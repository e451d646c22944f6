using FacilityHub.Contracts.Sites;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Sites;

internal static class SitesServiceCollectionExtensions
{
    /// <summary>
    /// The site registry, loaded once. A registry that cannot be read or is invalid throws
    /// <see cref="SiteRegistryException"/> with one line naming the file and the entry.
    /// </summary>
    public static IServiceCollection AddSiteRegistry(this IServiceCollection services)
    {
        services.AddOptions<SitesOptions>().BindConfiguration(SitesOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SitesOptions>, SitesOptionsValidator>());
        services.TryAddSingleton(sp => SiteRegistry.Load(Path.GetFullPath(sp.GetRequiredService<IOptions<SitesOptions>>().Value.RegistryPath)));
        return services;
    }
}
