using FacilityHub.Hub.Ingest;

namespace FacilityHub.Hub.Access;

/// <summary>The answer to a sign-in attempt.</summary>
internal abstract record SignInOutcome
{
    public sealed record Ok(UserEntry User) : SignInOutcome;

    /// <summary>Unknown name, wrong password or disabled user: one answer for all, so names cannot be probed.</summary>
    public sealed record Invalid : SignInOutcome;

    public sealed record Locked(TimeSpan RetryAfter) : SignInOutcome;
}

/// <summary>
/// Checks a name and password against the users file, behind the <see cref="SignInLimiter"/>, and logs every
/// outcome with the user, the client address and, for a failure, the reason (which the caller never learns).
/// </summary>
internal sealed partial class SignIn(UserStore users, SignInLimiter limiter, TimeProvider time, ILogger<SignIn> logger)
{
    // Compared against when the name is unknown, so that answer takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => UsersFile.HashPassword(Guid.NewGuid().ToString()));

    // Locked-out attempts cost nothing to make; their log lines must not cost anything either.
    private readonly LogRateLimiter _lockedLog = new(time, TimeSpan.FromSeconds(10));

    /// <param name="via">Which endpoint: "token" (the caller itself) or "verify" (the dashboard, for a person).</param>
    public SignInOutcome Check(string user, string password, string clientAddress, string via)
    {
        var name = Clip(user);
        var client = Clip(clientAddress);
        if (limiter.RetryAfter(name, client) is { } wait)
        {
            if (_lockedLog.TryEnter(out var suppressed))
            {
                LogLocked(logger, name, client, via, (int)Math.Ceiling(wait.TotalSeconds), suppressed);
            }
            return new SignInOutcome.Locked(wait);
        }

        string? reason = null;
        UserEntry? found = null;
        if (!UsersFile.IsValidName(user) || !users.TryGet(user, out found))
        {
            UsersFile.VerifyPassword(DecoyHash.Value, password);
            reason = "unknown user";
        }
        else if (!UsersFile.VerifyPassword(found.PasswordHash, password))
        {
            reason = "wrong password";
        }
        else if (found.Disabled)
        {
            reason = "user is disabled";
        }

        if (reason is not null || found is null)
        {
            limiter.RecordFailure(name, client);
            LogFailed(logger, name, client, via, reason ?? "unknown user");
            return new SignInOutcome.Invalid();
        }
        limiter.RecordSuccess(name);
        LogSucceeded(logger, found.Name, client, via, found.Role);
        return new SignInOutcome.Ok(found);
    }

    // Names and addresses come from outside; a 64 KiB one must not become a 64 KiB log line or table key.
    private static string Clip(string s) => s.Length <= 100 ? s : s[..100] + "…";

    [LoggerMessage(EventId = 75, Level = LogLevel.Information, Message = "Sign-in: {User} from {ClientAddress} ({Via}) as {Role}")]
    private static partial void LogSucceeded(ILogger logger, string user, string clientAddress, string via, string role);

    [LoggerMessage(EventId = 76, Level = LogLevel.Warning, Message = "Sign-in refused: {User} from {ClientAddress} ({Via}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string user, string clientAddress, string via, string reason);

    [LoggerMessage(EventId = 77, Level = LogLevel.Warning, Message = "Sign-in locked out: {User} from {ClientAddress} ({Via}) may try again in {RetryAfterSeconds} s; {Suppressed} similar line(s) held back")]
    private static partial void LogLocked(ILogger logger, string user, string clientAddress, string via, int retryAfterSeconds, long suppressed);
}
