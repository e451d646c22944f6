using FacilityHub.Contracts.Sites;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge;

/// <summary>
/// Recognises the failures that mean "the configuration is wrong" and says what is wrong in one line,
/// naming the setting, so an operator does not have to read a stack trace to fix a typo.
/// </summary>
internal static class StartupProblem
{
    private const string BinderSource = "Microsoft.Extensions.Configuration.Binder";

    public static string? Describe(Exception e) => e switch
    {
        OptionsValidationException invalid => invalid.Message,
        SiteRegistryException registry => $"Sites:RegistryPath: {registry.Message}",
        // The binder names the key and the type it could not convert to, e.g. a TimeSpan that is not one.
        InvalidOperationException { Source: BinderSource } binding => FirstLine(binding.Message),
        AggregateException many when many.InnerExceptions.Count > 0 && many.InnerExceptions.All(i => Describe(i) is not null) =>
            string.Join("; ", many.InnerExceptions.Select(i => Describe(i))),
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
