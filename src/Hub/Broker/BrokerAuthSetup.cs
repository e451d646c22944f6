using FacilityHub.Contracts.Sites;
using FacilityHub.Hub.Configuration;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Broker;

public static class BrokerAuthSetup
{
    /// <summary>
    /// Agent credentials (<c>BrokerAuth</c>), validated at start in either broker mode: External mode does not
    /// use them itself, but <c>mosquitto-auth</c> writes Mosquitto's files from the same settings.
    /// </summary>
    public static IServiceCollection AddBrokerAuth(this IServiceCollection services)
    {
        services.AddValidatedOptions<BrokerAuthOptions>(BrokerAuthOptions.Section);
        services.AddSingleton<IValidateOptions<BrokerAuthOptions>, RegistryCheck>();
        services.AddSingleton<AgentAuthorization>();
        return services;
    }

    private sealed class RegistryCheck(SiteRegistry registry) : IValidateOptions<BrokerAuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, BrokerAuthOptions options)
        {
            var problems = options.ProblemsWith(registry).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
