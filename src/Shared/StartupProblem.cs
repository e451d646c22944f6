using System.Text.RegularExpressions;
using FacilityHub.Contracts.Sites;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hosting;

/// <summary>
/// Turns a start-up failure caused by configuration into the one line an operator needs: which setting,
/// and why. Null for anything else, which is a real crash and deserves its stack trace.
/// Linked into each deployable (Hub, Edge, Dashboard) so all three answer a bad setting the same way.
/// </summary>
internal static partial class StartupProblem
{
    public static string? Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var problems = new List<string>();
        return Collect(error, problems) && problems.Count > 0 ? string.Join("; ", problems.Distinct(StringComparer.Ordinal)) : null;
    }

    private static bool Collect(Exception error, List<string> problems)
    {
        switch (error)
        {
            case OptionsValidationException validation:
                problems.AddRange(validation.Failures);
                return true;
            case SiteRegistryException registry:
                problems.Add($"Sites:RegistryPath: {registry.Message}");
                return true;
            case InvalidOperationException binding when UnknownKeys().Match(binding.Message) is { Success: true } m:
                // Options classes are named after their section (InfluxOptions binds "Influx").
                problems.Add($"unknown setting(s) {m.Groups["keys"].Value} in section '{m.Groups["type"].Value.Replace("Options", "", StringComparison.Ordinal)}'; check the spelling");
                return true;
            case InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                // "Failed to convert configuration value 'abc' at 'Influx:BatchSize' to type 'System.Int32'." (+ the reason)
                problems.Add((binding.InnerException?.Message is { } inner ? $"{binding.Message} ({inner})" : binding.Message).ReplaceLineEndings(" "));
                return true;
            case InvalidOperationException wrapper when wrapper.InnerException is InvalidOperationException wrapped
                && wrapper.Message.StartsWith("'ErrorOnUnknownConfiguration' was set and binding has failed", StringComparison.Ordinal):
                // A dictionary of options objects (BrokerAuth:Agents:{id}) wraps the binder's own message once more.
                return Collect(wrapped, problems);
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => Collect(e, problems));
            default:
                return false;
        }
    }

    [GeneratedRegex(@"not found on the instance of (?:[\w.]+\.)?(?<type>\w+): (?<keys>.+)$")]
    private static partial Regex UnknownKeys();
}
