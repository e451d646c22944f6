using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Access;

/// <summary>
/// The users the hub knows, from <c>Access:UsersFile</c>, which the <c>users …</c> commands change while the hub runs.
/// Every lookup may look at the file's size and write time, at most once a second, and reload it when either changed:
/// a user disabled from the command line is refused within about a second, with no restart and no file watcher
/// (inotify misses renames on some mounts). A file that turns bad keeps the last good users and is logged.
/// </summary>
internal sealed partial class UserStore
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger<UserStore> _logger;
    private readonly Lock _reload = new();

    // Replaced whole by a reload; read by every request without a lock.
    private volatile Loaded _loaded;

    // Timestamp (TimeProvider ticks) before which the file is not looked at again.
    private long _nextCheck;

    public UserStore(IOptions<AccessOptions> options, TimeProvider time, ILogger<UserStore> logger)
    {
        _path = Path.GetFullPath(options.Value.UsersFile!);
        _time = time;
        _logger = logger;
        var stamp = Stamp.Of(_path);
        // Validated at start, so this loads.
        _loaded = new Loaded(stamp, Index(UsersFile.Load(_path)));
        _nextCheck = time.GetTimestamp() + Ticks(CheckEvery);
    }

    public int Count => _loaded.Users.Count;

    /// <summary>Says at start how many users there are, and that there is no one to sign in as when there are none.</summary>
    public void LogUsers()
    {
        var users = _loaded.Users.Values;
        if (users.Length == 0)
        {
            LogNoUsers(_logger, _path);
        }
        else
        {
            LogLoaded(_logger, _path, users.Length, users.Where(u => u.Disabled).Count());
        }
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UserEntry? user)
    {
        Refresh();
        return _loaded.Users.TryGetValue(name, out user);
    }

    /// <summary>Whether a token with <paramref name="claims"/> still speaks for its user; <paramref name="refusal"/> says why not (for the log).</summary>
    public bool Admits(TokenClaims claims, out string refusal)
    {
        if (!TryGet(claims.User, out var user))
        {
            refusal = "user no longer exists";
            return false;
        }
        if (user.Disabled)
        {
            refusal = "user is disabled";
            return false;
        }
        // A role change, a password reset or a disable-and-enable after the token was issued: sign in again.
        if (!string.Equals(user.Role, claims.Role, StringComparison.Ordinal) || claims.IssuedAt < user.ChangedAt)
        {
            refusal = "user was changed after the token was issued";
            return false;
        }
        refusal = "";
        return true;
    }

    private void Refresh()
    {
        var now = _time.GetTimestamp();
        var next = Interlocked.Read(ref _nextCheck);
        if (now < next || Interlocked.CompareExchange(ref _nextCheck, now + Ticks(CheckEvery), next) != next)
        {
            return;
        }
        var stamp = Stamp.Of(_path);
        if (stamp == _loaded.Stamp)
        {
            return;
        }
        lock (_reload)
        {
            try
            {
                var users = Index(UsersFile.Load(_path));
                _loaded = new Loaded(stamp, users);
                LogReloaded(_logger, _path, users.Count);
            }
            catch (UsersFileException e)
            {
                // Remember the bad stamp, so the error is logged once per change, not once a second.
                _loaded = _loaded with { Stamp = stamp };
                LogReloadFailed(_logger, _path, e.Message);
            }
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static FrozenDictionary<string, UserEntry> Index(IReadOnlyList<UserEntry> users) =>
        users.ToFrozenDictionary(u => u.Name, StringComparer.Ordinal);

    private sealed record Loaded(Stamp Stamp, FrozenDictionary<string, UserEntry> Users);

    /// <summary>What tells a changed file: the rename that replaces it brings a new write time (and usually size).</summary>
    private readonly record struct Stamp(bool Exists, DateTime WriteTimeUtc, long Length)
    {
        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new Stamp(true, info.LastWriteTimeUtc, info.Length) : default;
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Access: {Count} user(s) in {Path}, {Disabled} disabled")]
    private static partial void LogLoaded(ILogger logger, string path, int count, int disabled);

    [LoggerMessage(EventId = 71, Level = LogLevel.Warning, Message = "Access: no users in {Path} yet; nobody can sign in or read the API (add one with: dotnet FacilityHub.Hub.dll users add NAME --role ROLE)")]
    private static partial void LogNoUsers(ILogger logger, string path);

    [LoggerMessage(EventId = 72, Level = LogLevel.Information, Message = "Access: reloaded {Path}: {Count} user(s)")]
    private static partial void LogReloaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 73, Level = LogLevel.Error, Message = "Access: {Path} changed but cannot be used ({Problem}); keeping the users read before")]
    private static partial void LogReloadFailed(ILogger logger, string path, string problem);
}
