using System.Globalization;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Access;

/// <summary>Section <c>Access</c>: who may use the hub's REST API and live stream (docs/decisions/0007).</summary>
internal sealed class AccessOptions : IValidatedOptions
{
    public const string Section = "Access";

    /// <summary>The users file the hub reads and <c>users …</c> commands write. Required; absent file = no users yet.</summary>
    public string? UsersFile { get; set; }

    /// <summary>Where the token signing keys are kept, so tokens survive a restart. Default: <c>keys/</c> beside the users file.</summary>
    public string? KeysDirectory { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Failed sign-ins per user name within <see cref="FailureWindow"/> before that name is locked out (429).</summary>
    public int MaxFailuresPerUser { get; set; } = 5;

    /// <summary>Failed sign-ins per client address within <see cref="FailureWindow"/>, whatever the names tried.</summary>
    public int MaxFailuresPerClient { get; set; } = 20;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Only read after validation, which requires <see cref="UsersFile"/>.</summary>
    public string ResolvedKeysDirectory =>
        Path.GetFullPath(KeysDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(UsersFile!))!, "keys"));

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(UsersFile))
        {
            yield return $"{Section}:UsersFile is required: the JSON file of users and roles (create users with: dotnet FacilityHub.Hub.dll users add NAME --role ROLE)";
            yield break;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(UsersFile));
        if (directory is null || !Directory.Exists(directory))
        {
            yield return $"{Section}:UsersFile '{UsersFile}': directory '{directory}' does not exist";
        }
        else
        {
            string? problem = null;
            try
            {
                Access.UsersFile.Load(UsersFile);
            }
            catch (UsersFileException e)
            {
                problem = e.Message;
            }
            if (problem is not null)
            {
                yield return $"{Section}:UsersFile '{UsersFile}' {problem}";
            }
            if (KeysProblem() is { } keys)
            {
                yield return keys;
            }
        }
        if (TokenLifetime < TimeSpan.FromMinutes(1) || TokenLifetime > TimeSpan.FromDays(30))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{Section}:TokenLifetime {TokenLifetime} must be between 00:01:00 and 30.00:00:00");
        }
        if (MaxFailuresPerUser < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{Section}:MaxFailuresPerUser {MaxFailuresPerUser} must be at least 1");
        }
        if (MaxFailuresPerClient < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{Section}:MaxFailuresPerClient {MaxFailuresPerClient} must be at least 1");
        }
        if (FailureWindow <= TimeSpan.Zero || FailureWindow > TimeSpan.FromDays(1))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{Section}:FailureWindow {FailureWindow} must be positive and at most 1.00:00:00");
        }
    }

    /// <summary>Creates the keys directory (owner-only) when missing: a directory that cannot exist is said at start, not at the first sign-in.</summary>
    private string? KeysProblem()
    {
        var directory = ResolvedKeysDirectory;
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"{Section}:KeysDirectory '{directory}' cannot be created: {e.Message}";
        }
    }
}
