using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard;

/// <summary>Turns a configuration failure at start-up into the one line an operator needs: which setting, and why.</summary>
public static class StartupProblems
{
    /// <summary>
    /// The message for a bad setting: an options validation failure, or the configuration binder's
    /// "Failed to convert configuration value 'abc' at 'Dashboard:StaleAfter' to type 'System.TimeSpan'".
    /// Null for anything else, which is a real crash and deserves its stack trace.
    /// </summary>
    public static string? DescribeConfigurationError(Exception error)
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
            case InvalidOperationException binding when binding.InnerException is FormatException:
                problems.Add(binding.Message);
                return true;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.All(e => Collect(e, problems));
            default:
                return false;
        }
    }
}
