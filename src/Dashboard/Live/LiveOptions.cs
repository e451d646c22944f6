using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Live;

/// <summary>Configuration section <c>Hub</c>: where the hub serves its live stream and REST API.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    public string Url { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// The dashboard's own account at the hub (role <c>service</c>): its one live connection serves every browser,
    /// so it reads every view; each person's role is enforced by the dashboard itself (docs/decisions/0007).
    /// </summary>
    public string? ServiceUser { get; set; }

    /// <summary>A file holding that account's password (one line), so the secret is in neither the command line nor the settings.</summary>
    public string? ServicePasswordFile { get; set; }

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
    public ValidateOptionsResult Validate(string? name, HubOptions options)
    {
        var problems = new List<string>();
        if (!HubOptions.TryParseUrl(options.Url, out _))
        {
            problems.Add($"{HubOptions.Section}:Url must be an absolute http:// or https:// URL, got '{options.Url}'");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceUser))
        {
            problems.Add($"{HubOptions.Section}:ServiceUser is required: the dashboard's service account at the hub (on the hub: users add NAME --role service)");
        }
        if (string.IsNullOrWhiteSpace(options.ServicePasswordFile))
        {
            problems.Add($"{HubOptions.Section}:ServicePasswordFile is required: a file holding the service account's password");
        }
        else if (!File.Exists(options.ServicePasswordFile))
        {
            problems.Add($"{HubOptions.Section}:ServicePasswordFile '{options.ServicePasswordFile}' does not exist");
        }
        else if (new FileInfo(options.ServicePasswordFile).Length == 0)
        {
            problems.Add($"{HubOptions.Section}:ServicePasswordFile '{options.ServicePasswordFile}' is empty");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options) =>
        options.StaleAfter > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DashboardOptions.Section}:StaleAfter must be a positive duration such as 00:05:00, got '{options.StaleAfter}'");
}
