// PLACEHOLDER until the access branch is merged (its HubAccounts replaces this file).
using FacilityHub.Contracts.Access;

namespace FacilityHub.Dashboard.Account;

public abstract record SignInResult
{
    public sealed record Ok(UserInfo User) : SignInResult;

    public sealed record Invalid : SignInResult;

    public sealed record Locked(TimeSpan RetryAfter) : SignInResult;

    public sealed record HubUnavailable : SignInResult;
}

public sealed class HubAccounts
{
    public Task<SignInResult> VerifyAsync(string user, string password, string clientAddress, CancellationToken ct) => throw new NotImplementedException();

    public Task<UserInfo?> GetUserAsync(string name, CancellationToken ct) => throw new NotImplementedException();
}
