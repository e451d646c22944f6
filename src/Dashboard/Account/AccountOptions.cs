using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Account;

/// <summary>Configuration section <c>Account</c>: how long a sign-in lasts and how often it is checked against the hub's user store.</summary>
public sealed class AccountOptions
{
    public const string Section = "Account";

    /// <summary>A session ends this long after sign-in (or after the last request, while a person keeps using it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often a session is checked against the hub, so a disabled user or changed role takes effect.</summary>
    public TimeSpan RecheckEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>Account:Directory</c>, bound and validated on its own as <see cref="DirectoryOptions"/>; declared here so
    /// this section's strict binding knows the subsection instead of refusing it as an unknown setting.
    /// </summary>
    public DirectoryOptions Directory { get; set; } = new();
}

internal sealed class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromDays(7))
        {
            return ValidateOptionsResult.Fail(
                $"{AccountOptions.Section}:SessionLifetime must be between 00:01:00 and 7.00:00:00, got '{options.SessionLifetime}'");
        }
        if (options.RecheckEvery <= TimeSpan.Zero || options.RecheckEvery > options.SessionLifetime)
        {
            return ValidateOptionsResult.Fail(
                $"{AccountOptions.Section}:RecheckEvery must be positive and at most the session lifetime, got '{options.RecheckEvery}'");
        }
        return ValidateOptionsResult.Success;
    }
}
