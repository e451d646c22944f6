using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Live;

/// <summary>Configuration section <c>Hub</c>: where the hub serves its live stream and REST API.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    public string Url { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The validated <see cref="Url"/>; only read after start-up validation has passed.</summary>
    public Uri BaseUri => TryParseUrl(Url, out var uri) ? uri : throw new InvalidOperationException($"{Section}:Url '{Url}' is not valid");

    public static bool TryParseUrl(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }
        uri = parsed;
        return true;
    }
}

/// <summary>Configuration section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>A shelter, station or AP whose last report is at least this old is shown as stale.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class HubOptionsValidator : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions options) =>
        HubOptions.TryParseUrl(options.Url, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{HubOptions.Section}:Url must be an absolute http:// or https:// URL, got '{options.Url}'");
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options) =>
        options.StaleAfter > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DashboardOptions.Section}:StaleAfter must be a positive duration such as 00:05:00, got '{options.StaleAfter}'");
}
