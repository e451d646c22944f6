using System.Globalization;
using FacilityHub.Contracts.Access;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Access;

/// <summary>
/// <c>users add|set-role|reset-password|disable|enable|list</c>: the hub binary's commands for the users file
/// (<c>Access:UsersFile</c>, or <c>--users-file PATH</c>). They write the file atomically; a running hub picks the
/// change up within about a second. Passwords come from standard input, one line. Exit code 0 on success,
/// 2 with one line on standard error naming what is wrong otherwise.
/// </summary>
internal static class UsersCommands
{
    public const string Command = "users";

    private const string Usage =
        "usage: users add NAME --role ROLE [--display-name TEXT] | set-role NAME ROLE | reset-password NAME | disable NAME | enable NAME | list"
        + " [--users-file PATH]; passwords are read from standard input";

    private static readonly Dictionary<string, (int Positional, string Usage)> Subcommands = new(StringComparer.Ordinal)
    {
        ["add"] = (1, "users add NAME --role ROLE [--display-name TEXT] < password"),
        ["set-role"] = (2, "users set-role NAME ROLE"),
        ["reset-password"] = (1, "users reset-password NAME < password"),
        ["disable"] = (1, "users disable NAME"),
        ["enable"] = (1, "users enable NAME"),
        ["list"] = (0, "users list"),
    };

    /// <summary>Null when <paramref name="args"/> do not start with <c>users</c>: the hub then starts as usual.</summary>
    public static int? TryRun(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.FirstOrDefault() == Command
            ? Run(args[1..], () => CommandConfiguration.ReadSecretLine("Password"), Console.Out, Console.Error, configuration: null)
            : null;
    }

    /// <param name="configuration">Where <c>Access:UsersFile</c> comes from without <c>--users-file</c>; the hub's own when null.</param>
    internal static int Run(string[] args, Func<string?> readPassword, TextWriter stdout, TextWriter stderr, IConfiguration? configuration)
    {
        if (args.Length == 0 || !Subcommands.TryGetValue(args[0], out var spec))
        {
            return Fail(stderr, Command, args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal) ? Usage : $"unknown command '{args[0]}'; {Usage}");
        }
        var sub = args[0];
        var name = $"{Command} {sub}";
        string? usersFile = null, role = null, displayName = null;
        var positional = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            var allowed = arg == "--users-file" || (sub == "add" && arg is "--role" or "--display-name");
            if (!allowed)
            {
                return Fail(stderr, name, $"unknown option '{arg}' (usage: {spec.Usage} [--users-file PATH])");
            }
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return Fail(stderr, name, $"{arg} needs a value");
            }
            var value = args[++i];
            switch (arg)
            {
                case "--users-file":
                    usersFile = value;
                    break;
                case "--role":
                    role = value;
                    break;
                default:
                    displayName = value;
                    break;
            }
        }
        if (positional.Count != spec.Positional)
        {
            return Fail(stderr, name, $"expected {(spec.Positional == 0 ? "no arguments" : spec.Positional == 1 ? "NAME" : "NAME ROLE")}, got {positional.Count} (usage: {spec.Usage})");
        }
        var user = positional.FirstOrDefault();
        if (user is not null && !UsersFile.IsValidName(user))
        {
            return Fail(stderr, name, $"name '{user}' must be {UsersFile.NameRule}");
        }
        if (sub == "set-role")
        {
            role = positional[1];
        }
        if (sub == "add" && role is null)
        {
            return Fail(stderr, name, $"--role is required (one of {string.Join(", ", Roles.All)})");
        }
        if (role is not null && !Roles.IsKnown(role))
        {
            return Fail(stderr, name, $"role '{role}' is not one of {string.Join(", ", Roles.All)}");
        }
        if (displayName is not null && (string.IsNullOrWhiteSpace(displayName) || displayName.Length > UsersFile.MaxDisplayNameLength || displayName.Any(char.IsControl)))
        {
            return Fail(stderr, name, $"--display-name must be 1–{UsersFile.MaxDisplayNameLength} characters without control characters");
        }

        usersFile ??= (configuration ?? CommandConfiguration.Build([], []))[$"{AccessOptions.Section}:{nameof(AccessOptions.UsersFile)}"];
        if (string.IsNullOrWhiteSpace(usersFile))
        {
            return Fail(stderr, name, $"{AccessOptions.Section}:UsersFile is not set; pass --users-file PATH");
        }

        string? passwordHash = null;
        if (sub is "add" or "reset-password")
        {
            var password = readPassword();
            if (string.IsNullOrEmpty(password))
            {
                return Fail(stderr, name, "no password on standard input (one line)");
            }
            if (password.Length < UsersFile.MinPasswordLength)
            {
                return Fail(stderr, name, $"password must be at least {UsersFile.MinPasswordLength} characters");
            }
            passwordHash = UsersFile.HashPassword(password);
        }

        try
        {
            if (sub == "list")
            {
                List(UsersFile.Load(usersFile), usersFile, stdout);
                return 0;
            }
            var now = DateTimeOffset.UtcNow;
            var (problem, done) = UsersFile.Update<(string? Problem, string Done)>(usersFile, users =>
            {
                var index = users.FindIndex(u => u.Name == user);
                if (sub == "add")
                {
                    if (index >= 0)
                    {
                        return ($"user '{user}' already exists (change it with set-role, reset-password, disable or enable)", "");
                    }
                    users.Add(new UserEntry(user!, displayName ?? user!, role!, passwordHash!, Disabled: false, now));
                    UsersFile.Save(usersFile, users);
                    return (null, $"added '{user}' (role {role})");
                }
                if (index < 0)
                {
                    return ($"no user '{user}' in {Path.GetFullPath(usersFile)}", "");
                }
                var old = users[index];
                var changed = sub switch
                {
                    "set-role" => old with { Role = role! },
                    "reset-password" => old with { PasswordHash = passwordHash! },
                    "disable" => old with { Disabled = true },
                    _ => old with { Disabled = false },
                };
                if (changed == old)
                {
                    return (null, $"'{user}' is already {(sub == "set-role" ? "role " + role : sub + "d")}; nothing changed");
                }
                // ChangedAt ends every token issued before it (UserStore.Admits).
                users[index] = changed with { ChangedAt = now };
                UsersFile.Save(usersFile, users);
                return (null, sub switch
                {
                    "set-role" => $"'{user}' is now role {role} (was {old.Role}); their tokens no longer work",
                    "reset-password" => $"password of '{user}' changed; their tokens no longer work",
                    "disable" => $"'{user}' is disabled; their tokens no longer work",
                    _ => $"'{user}' is enabled",
                });
            });
            if (problem is not null)
            {
                return Fail(stderr, name, problem);
            }
            stdout.WriteLine($"{name}: {done}");
            return 0;
        }
        catch (UsersFileException e)
        {
            return Fail(stderr, name, $"{AccessOptions.Section}:UsersFile '{usersFile}' {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, name, $"{AccessOptions.Section}:UsersFile '{usersFile}': {e.Message}");
        }
    }

    /// <summary>Names, roles and states; never a hash.</summary>
    private static void List(IReadOnlyList<UserEntry> users, string path, TextWriter stdout)
    {
        if (users.Count == 0)
        {
            stdout.WriteLine($"no users in {Path.GetFullPath(path)}");
            return;
        }
        var width = Math.Max(4, users.Max(u => u.Name.Length));
        stdout.WriteLine($"{"NAME".PadRight(width)}  {"ROLE",-8}  {"STATE",-8}  {"CHANGED (UTC)",-20}  DISPLAY NAME");
        foreach (var u in users.OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{u.Name.PadRight(width)}  {u.Role,-8}  {(u.Disabled ? "disabled" : "enabled"),-8}  {u.ChangedAt.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss}  {u.DisplayName}"));
        }
    }

    private static int Fail(TextWriter stderr, string command, string problem)
    {
        stderr.WriteLine($"{command}: {problem}");
        return 2;
    }
}
