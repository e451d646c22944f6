using FacilityHub.Contracts.Sites;
using FacilityHub.Hub.Configuration;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Sites;

public sealed class SitesOptions : IValidatedOptions
{
    public const string Section = "Sites";

    /// <summary>The site registry JSON; relative paths are from the working directory.</summary>
    public string RegistryPath { get; set; } = "config/sites.hitachi.json";

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(RegistryPath))
        {
            yield return "Sites:RegistryPath is required";
        }
        else if (!File.Exists(RegistryPath))
        {
            yield return $"Sites:RegistryPath '{Path.GetFullPath(RegistryPath)}' does not exist";
        }
    }
}

public static class SitesSetup
{
    /// <summary>The registry is loaded and validated once, at start-up (Program resolves it before the host runs).</summary>
    public static IServiceCollection AddSites(this IServiceCollection services)
    {
        services.AddValidatedOptions<SitesOptions>(SitesOptions.Section);
        services.AddSingleton(sp => SiteRegistry.Load(sp.GetRequiredService<IOptions<SitesOptions>>().Value.RegistryPath));
        return services;
    }
}
