using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Access;

/// <summary>
/// Counts failed sign-ins per user name and per client address over a sliding window. Once a name or an address has
/// had its allowance of failures, further attempts are answered "locked" (429 with Retry-After) without looking at
/// the password, until the oldest of those failures leaves the window. A success clears the name's failures, not the
/// address's: one right password must not buy an address another round of guesses at other names.
/// </summary>
internal sealed class SignInLimiter(IOptions<AccessOptions> options, TimeProvider time)
{
    // Above this many keys a sweep drops the ones whose failures have all left the window: names and addresses come
    // from outside, so the tables must not grow with every name an attacker makes up.
    private const int SweepAbove = 10_000;

    private readonly AccessOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byClient = new(StringComparer.Ordinal);

    /// <summary>How long until <paramref name="user"/> from <paramref name="client"/> may try again; null when now.</summary>
    public TimeSpan? RetryAfter(string user, string client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var a = LockedFor(_byUser, user, _options.MaxFailuresPerUser, now);
            var b = LockedFor(_byClient, client, _options.MaxFailuresPerClient, now);
            return a is null ? b : b is null ? a : a > b ? a : b;
        }
    }

    public void RecordFailure(string user, string client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Add(_byUser, user, _options.MaxFailuresPerUser, now);
            Add(_byClient, client, _options.MaxFailuresPerClient, now);
        }
    }

    public void RecordSuccess(string user)
    {
        lock (_gate)
        {
            _byUser.Remove(user);
        }
    }

    private TimeSpan? LockedFor(Dictionary<string, Queue<DateTimeOffset>> table, string key, int max, DateTimeOffset now)
    {
        if (!table.TryGetValue(key, out var failures))
        {
            return null;
        }
        Prune(failures, now);
        if (failures.Count == 0)
        {
            table.Remove(key);
            return null;
        }
        // Only the last max failures are kept, so the oldest kept is the one whose expiry lifts the lock.
        return failures.Count < max ? null : failures.Peek() + _options.FailureWindow - now;
    }

    private void Add(Dictionary<string, Queue<DateTimeOffset>> table, string key, int max, DateTimeOffset now)
    {
        if (!table.TryGetValue(key, out var failures))
        {
            if (table.Count >= SweepAbove)
            {
                Sweep(table, now);
            }
            table[key] = failures = new Queue<DateTimeOffset>();
        }
        failures.Enqueue(now);
        while (failures.Count > max)
        {
            failures.Dequeue();
        }
    }

    private void Sweep(Dictionary<string, Queue<DateTimeOffset>> table, DateTimeOffset now)
    {
        foreach (var (key, failures) in table)
        {
            Prune(failures, now);
            if (failures.Count == 0)
            {
                table.Remove(key);
            }
        }
    }

    private void Prune(Queue<DateTimeOffset> failures, DateTimeOffset now)
    {
        while (failures.Count > 0 && failures.Peek() + _options.FailureWindow <= now)
        {
            failures.Dequeue();
        }
    }
}
