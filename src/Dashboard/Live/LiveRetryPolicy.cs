using Microsoft.AspNetCore.SignalR.Client;

namespace FacilityHub.Dashboard.Live;

/// <summary>
/// Never gives up: a wall display must come back by itself however long the hub was away.
/// 0, 1, 2, 5 s, then every 5 s.
/// </summary>
public sealed class LiveRetryPolicy(Action<Exception>? failed = null) : IRetryPolicy
{
    private static readonly TimeSpan[] Steps =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    public static TimeSpan Delay(long attempt) => attempt < Steps.Length ? Steps[Math.Max(0, attempt)] : Steps[^1];

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        // The only place a failed automatic reconnect is seen (LiveFeed drops a token the hub refused).
        if (retryContext.RetryReason is { } reason)
        {
            failed?.Invoke(reason);
        }
        return Delay(retryContext.PreviousRetryCount);
    }
}
