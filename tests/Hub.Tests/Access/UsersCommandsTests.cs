using FacilityHub.Contracts.Access;
using FacilityHub.Hub.Access;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Configuration;

namespace FacilityHub.Hub.Tests.Access;

/// <summary>The <c>users</c> commands, run in-process for every input; one run through the real binary for the wiring.</summary>
public sealed class UsersCommandsTests : IDisposable
{
    private const string Password = "a long enough password";

    private readonly TempDir _dir = new("users-cli");

    private string File => _dir.Combine("users.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Add_ThenList_ShowsTheUserWithoutItsHash()
    {
        var add = Run(["add", "hq-tanaka", "--role", "disaster", "--display-name", "本部 田中"], Password);
        var list = Run(["list"]);

        Assert.Equal((0, "users add: added 'hq-tanaka' (role disaster)\n", ""), add);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("hq-tanaka", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("disaster", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("本部 田中", list.Stdout, StringComparison.Ordinal);
        var user = Assert.Single(UsersFile.Load(File));
        Assert.DoesNotContain(user.PasswordHash, list.Stdout, StringComparison.Ordinal);
        Assert.True(UsersFile.VerifyPassword(user.PasswordHash, Password));
    }

    [Fact]
    public void Add_WithoutDisplayName_UsesTheName()
    {
        Run(["add", "it-1", "--role", "it"], Password);

        Assert.Equal("it-1", Assert.Single(UsersFile.Load(File)).DisplayName);
    }

    [Fact]
    public void SetRole_ResetPassword_Disable_Enable_EachChangeTheUserAndItsChangedAt()
    {
        Run(["add", "a", "--role", "it"], Password);
        var steps = new List<UserEntry> { Single() };

        Assert.Equal(0, Run(["set-role", "a", "admin"]).ExitCode);
        steps.Add(Single());
        Assert.Equal(0, Run(["reset-password", "a"], "another long password").ExitCode);
        steps.Add(Single());
        Assert.Equal(0, Run(["disable", "a"]).ExitCode);
        steps.Add(Single());
        Assert.Equal(0, Run(["enable", "a"]).ExitCode);
        steps.Add(Single());

        Assert.Equal([Roles.It, Roles.Admin, Roles.Admin, Roles.Admin, Roles.Admin], steps.Select(s => s.Role));
        Assert.Equal([false, false, false, true, false], steps.Select(s => s.Disabled));
        Assert.True(UsersFile.VerifyPassword(steps[^1].PasswordHash, "another long password"));
        Assert.False(UsersFile.VerifyPassword(steps[^1].PasswordHash, Password));
        // Every change moves ChangedAt, which ends the user's tokens issued before it.
        Assert.Equal(steps.Count, steps.Select(s => s.ChangedAt).Distinct().Count());
    }

    [Fact]
    public void Disable_AlreadyDisabled_ChangesNothing()
    {
        Run(["add", "a", "--role", "it"], Password);
        Run(["disable", "a"]);
        var before = Single();

        var again = Run(["disable", "a"]);

        Assert.Equal((0, "users disable: 'a' is already disabled; nothing changed\n", ""), again);
        Assert.Equal(before, Single());
    }

    [Fact]
    public void UsersFileFromConfiguration_WhenNoFlag()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Access:UsersFile", File)]).Build();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = UsersCommands.Run(["add", "a", "--role", "weather"], () => Password, stdout, stderr, configuration);

        Assert.Equal(0, code);
        Assert.Equal("a", Single().Name);
    }

    public static TheoryData<string[], string?, string> BadInputs => new()
    {
        { [], null, "users: usage: users add NAME --role ROLE" },
        { ["remove", "a"], null, "users: unknown command 'remove'; usage:" },
        { ["add", "a"], Password, "users add: --role is required (one of it, disaster, weather, admin, service)" },
        { ["add", "a", "--role", "root"], Password, "users add: role 'root' is not one of it, disaster, weather, admin, service" },
        { ["add", "a", "--role"], Password, "users add: --role needs a value" },
        { ["add", "Alice", "--role", "it"], Password, "users add: name 'Alice' must be 1–64 of a-z, 0-9, '-', '_', '.'" },
        { ["add", "a", "b", "--role", "it"], Password, "users add: expected NAME, got 2 (usage: users add NAME --role ROLE [--display-name TEXT] < password)" },
        { ["add", "a", "--role", "it", "--colour", "red"], Password, "users add: unknown option '--colour'" },
        { ["add", "a", "--role", "it", "--display-name", " "], Password, "users add: --display-name must be 1–200 characters without control characters" },
        { ["add", "a", "--role", "it"], null, "users add: no password on standard input (one line)" },
        { ["add", "a", "--role", "it"], "short", "users add: password must be at least 10 characters" },
        { ["add", "taken", "--role", "it"], Password, "users add: user 'taken' already exists" },
        { ["set-role", "taken"], null, "users set-role: expected NAME ROLE, got 1 (usage: users set-role NAME ROLE)" },
        { ["set-role", "taken", "boss"], null, "users set-role: role 'boss' is not one of" },
        { ["set-role", "ghost", "it"], null, "users set-role: no user 'ghost' in " },
        { ["set-role", "taken", "it", "--role", "admin"], null, "users set-role: unknown option '--role'" },
        { ["reset-password", "taken"], "short", "users reset-password: password must be at least 10 characters" },
        { ["reset-password", "ghost"], Password, "users reset-password: no user 'ghost' in " },
        { ["disable"], null, "users disable: expected NAME, got 0" },
        { ["disable", "ghost"], null, "users disable: no user 'ghost' in " },
        { ["enable", "ghost"], null, "users enable: no user 'ghost' in " },
        { ["list", "extra"], null, "users list: expected no arguments, got 1" },
        { ["list", "--users-file"], null, "users list: --users-file needs a value" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ExitCode2WithOneSpecificLine(string[] args, string? password, string expected)
    {
        Run(["add", "taken", "--role", "it"], Password);
        var before = System.IO.File.ReadAllText(File);

        var (code, stdout, stderr) = Run(args, password);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, System.IO.File.ReadAllText(File));
    }

    [Fact]
    public void NoUsersFileAnywhere_SaysHowToGiveOne()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = UsersCommands.Run(["list"], () => null, stdout, stderr, new ConfigurationBuilder().Build());

        Assert.Equal(2, code);
        Assert.Equal("users list: Access:UsersFile is not set; pass --users-file PATH\n", stderr.ToString());
    }

    [Fact]
    public void BadUsersFile_NamesTheSettingAndTheProblem()
    {
        System.IO.File.WriteAllText(File, "[]");

        var (code, _, stderr) = Run(["list"]);

        Assert.Equal(2, code);
        Assert.StartsWith($"users list: Access:UsersFile '{File}' is not a valid users file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealBinary_AddFromStdinThenList()
    {
        var add = await HubCommand.RunAsync(["users", "add", "svc", "--role", "service", "--users-file", File], Password + "\n");
        var list = await HubCommand.RunAsync(["users", "list", "--users-file", File]);

        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("svc", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, add.Stdout + add.Stderr + list.Stdout, StringComparison.Ordinal);
    }

    private UserEntry Single() => Assert.Single(UsersFile.Load(File));

    private (int ExitCode, string Stdout, string Stderr) Run(string[] args, string? password = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var withFile = args.Contains("--users-file") ? args : [.. args, "--users-file", File];
        var code = UsersCommands.Run(withFile, () => password, stdout, stderr, new ConfigurationBuilder().Build());
        return (code, stdout.ToString(), stderr.ToString());
    }
}
