using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Configuration;

/// <summary>An options class that can say, setting by setting, what is wrong with it.</summary>
public interface IValidatedOptions
{
    /// <summary>Each problem names its setting (<c>Influx:Url '…' must be …</c>); empty when usable.</summary>
    IEnumerable<string> Problems();
}

public static class ValidatedOptionsExtensions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and refuses to start when it has a problem.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class, IValidatedOptions
    {
        services.AddOptions<T>()
            .BindConfiguration(section, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, ProblemsValidator<T>>();
        return services;
    }

    private sealed class ProblemsValidator<T> : IValidateOptions<T>
        where T : class, IValidatedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
