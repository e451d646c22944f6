using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Sites;

/// <summary>Configuration section <c>Sites</c>.</summary>
internal sealed class SitesOptions
{
    public const string Section = "Sites";

    /// <summary>The site registry file; a relative path is taken from the working directory.</summary>
    public string RegistryPath { get; set; } = "config/sites.hitachi.json";
}

internal sealed class SitesOptionsValidator : IValidateOptions<SitesOptions>
{
    public ValidateOptionsResult Validate(string? name, SitesOptions options) =>
        string.IsNullOrWhiteSpace(options.RegistryPath)
            ? ValidateOptionsResult.Fail("Sites:RegistryPath is empty; it must name the site registry file")
            : ValidateOptionsResult.Success;
}
