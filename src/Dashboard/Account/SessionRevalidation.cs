using FacilityHub.Contracts.Access;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Account;

/// <summary>
/// A live page is one long circuit, not a series of requests, so the cookie check alone would never see a
/// user disabled mid-shift. The circuit re-asks the hub on the same schedule; a session the store no
/// longer backs becomes anonymous and <see cref="Components.LiveComponent"/> sends the browser to sign in.
/// </summary>
internal sealed class SessionRevalidation(
    HubAccounts accounts,
    IOptions<AccountOptions> options,
    ILoggerFactory loggerFactory) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RecheckEvery;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name })
        {
            return false;
        }
        if (DirectorySignIn.IsDirectoryPerson(principal))
        {
            return true;
        }
        UserInfo? current;
        try
        {
            current = await accounts.GetUserAsync(name, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The hub is away: keep the session rather than lock everyone out during an outage.
            return true;
        }
        return AccountClaims.StillValid(principal, current);
    }
}
