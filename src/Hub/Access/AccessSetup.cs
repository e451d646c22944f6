using FacilityHub.Hub.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Access;

internal static class AccessSetup
{
    /// <summary>Users, sign-in, tokens and the policies endpoints name (section <c>Access</c>, validated at start).</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddValidatedOptions<AccessOptions>(AccessOptions.Section);
        services.AddSingleton<UserStore>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<SignIn>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<LiveAccessWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveAccessWatch>());

        // Keys on disk (not the default per-user profile directory), so tokens outlive a restart and a redeploy.
        services.AddDataProtection().SetApplicationName("FacilityHub.Hub");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<AccessOptions>, ILoggerFactory>((keys, access, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(access.Value.ResolvedKeysDirectory), loggers));

        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        AccessPolicies.Add(services.AddAuthorizationBuilder());
        return services;
    }
}
