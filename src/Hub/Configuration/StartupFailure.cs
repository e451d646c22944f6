using System.Text.RegularExpressions;
using FacilityHub.Contracts.Sites;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub;

/// <summary>Turns a start-up failure caused by configuration into the one line the operator needs.</summary>
public static partial class StartupFailure
{
    public static string? Describe(Exception e) => e switch
    {
        OptionsValidationException v => string.Join("; ", v.Failures),
        SiteRegistryException r => r.Message,
        InvalidOperationException i when UnknownKeys().Match(i.Message) is { Success: true } m =>
            // Options classes are named after their section (InfluxOptions binds "Influx").
            $"unknown setting(s) {m.Groups["keys"].Value} in section '{m.Groups["type"].Value.Replace("Options", "", StringComparison.Ordinal)}'; check the spelling",
        InvalidOperationException i when i.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) =>
            (i.InnerException?.Message is { } inner ? $"{i.Message} ({inner})" : i.Message).ReplaceLineEndings(" "),
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => null,
    };

    [GeneratedRegex(@"not found on the instance of (?:[\w.]+\.)?(?<type>\w+): (?<keys>.+)$")]
    private static partial Regex UnknownKeys();
}
