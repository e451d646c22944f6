using FacilityHub.Contracts.Sites;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub;

/// <summary>Turns a start-up failure caused by configuration into the one line the operator needs.</summary>
public static class StartupFailure
{
    public static string? Describe(Exception e) => e switch
    {
        OptionsValidationException v => string.Join("; ", v.Failures),
        SiteRegistryException r => r.Message,
        InvalidOperationException i when i.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) =>
            (i.InnerException?.Message is { } inner ? $"{i.Message} ({inner})" : i.Message).ReplaceLineEndings(" "),
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => null,
    };
}
