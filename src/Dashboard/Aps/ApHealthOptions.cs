using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Aps;

/// <summary>
/// Configuration section <c>Aps</c>: when the IT view calls an access point overloaded. Either rule suffices.
/// </summary>
public sealed class ApHealthOptions
{
    public const string Section = "Aps";

    /// <summary>
    /// Channel utilisation (either band) at or above this is overloaded. Around 70 % airtime the medium is busy
    /// enough that clients wait for it and latency climbs steeply; it is also the alarm level common AP controllers use.
    /// </summary>
    public double OverloadUtilPct { get; set; } = 70;

    /// <summary>
    /// Associated clients (both bands together) at or above this is overloaded: a shelter gym full of phones
    /// hits it long before the channel looks busy. 60 fits the two-radio APs in the registry; adjust per model.
    /// </summary>
    public int OverloadClients { get; set; } = 60;

    /// <summary>Channel utilisation at or above this (and below <see cref="OverloadUtilPct"/>) draws its bar amber: busy, not yet overloaded.</summary>
    public double BusyUtilPct { get; set; } = 50;

    /// <summary>
    /// A reporting, current AP over either limit. A stale AP is never overloaded: its numbers are not current,
    /// and the stale mark already says so.
    /// </summary>
    public bool IsOverloaded(ApRow ap)
    {
        ArgumentNullException.ThrowIfNull(ap);
        return ap.Condition == ApCondition.Up && !ap.Stale
            && (ap.MaxUtilPct >= OverloadUtilPct || ap.TotalClients >= OverloadClients);
    }

    /// <summary>What a tile or row says about <paramref name="ap"/>, in colour and in words.</summary>
    public ApHealth HealthOf(ApRow ap)
    {
        ArgumentNullException.ThrowIfNull(ap);
        return ap.Condition switch
        {
            ApCondition.Down => ApHealth.Down,
            ApCondition.NoData => ApHealth.NoData,
            _ when IsOverloaded(ap) => ApHealth.Overloaded,
            _ => ApHealth.Up,
        };
    }

    /// <summary>A utilisation bar's class: bad when overloaded, warn when busy, ok below; none when unknown.</summary>
    public string UtilClass(double? pct) => pct switch
    {
        null => "none",
        var p when p >= OverloadUtilPct => "bad",
        var p when p >= BusyUtilPct => "warn",
        _ => "ok",
    };
}

/// <summary>An AP's state as the IT views show it; stale is a separate mark on top of any of these.</summary>
public enum ApHealth
{
    Down,
    Overloaded,
    Up,
    NoData,
}

internal sealed class ApHealthOptionsValidator : IValidateOptions<ApHealthOptions>
{
    public ValidateOptionsResult Validate(string? name, ApHealthOptions options)
    {
        var failures = new List<string>();
        if (!double.IsFinite(options.OverloadUtilPct) || options.OverloadUtilPct is <= 0 or > 100)
        {
            failures.Add($"{ApHealthOptions.Section}:OverloadUtilPct must be above 0 and at most 100, got {options.OverloadUtilPct}");
        }
        if (!double.IsFinite(options.BusyUtilPct) || options.BusyUtilPct < 0 || options.BusyUtilPct > options.OverloadUtilPct)
        {
            failures.Add($"{ApHealthOptions.Section}:BusyUtilPct must be between 0 and OverloadUtilPct ({options.OverloadUtilPct}), got {options.BusyUtilPct}");
        }
        if (options.OverloadClients < 1)
        {
            failures.Add($"{ApHealthOptions.Section}:OverloadClients must be at least 1, got {options.OverloadClients}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
