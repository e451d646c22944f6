using FacilityHub.Contracts.Access;
using FacilityHub.Hub.Access;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Access;

public sealed class UsersFileTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    // One hash for the whole class: hashing is deliberately slow.
    private static readonly string Hash = UsersFile.HashPassword("correct horse battery");

    private readonly TempDir _dir = new("users-file");

    private string Path => _dir.Combine("users.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SaveThenLoad_RoundTrips_EveryField()
    {
        UserEntry[] users =
        [
            new("hq-tanaka", "災害対策本部 田中", Roles.Disaster, Hash, Disabled: false, At),
            new("svc.dashboard", "dashboard", Roles.Service, Hash, Disabled: true, At.AddMinutes(1)),
        ];

        UsersFile.Save(Path, users);

        Assert.Equal(users, UsersFile.Load(Path));
        // Readable by people: Japanese and the hash's '+' are written as they are.
        Assert.Contains("災害対策本部 田中", File.ReadAllText(Path), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AbsentFile_IsNoUsers()
    {
        Assert.Empty(UsersFile.Load(Path));
    }

    [Fact]
    public void Save_OwnerOnlyAndNoTemporaryFileLeft()
    {
        UsersFile.Save(Path, [new("a", "a", Roles.It, Hash, false, At)]);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path));
        }
        Assert.Equal(["users.json"], Directory.GetFiles(_dir.Path).Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public async Task Save_WhileAnotherThreadReads_ReaderNeverSeesHalfAFile()
    {
        var many = Enumerable.Range(0, 200).Select(i => new UserEntry($"user-{i}", $"User {i}", Roles.Weather, Hash, false, At)).ToList();
        UsersFile.Save(Path, many);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Throws UsersFileException on a torn read.
                Assert.InRange(UsersFile.Load(Path).Count, 199, 200);
                reads++;
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 100; i++)
        {
            UsersFile.Save(Path, i % 2 == 0 ? many[1..] : many);
        }
        await stop.CancelAsync();
        await reader;
        Assert.True(reads > 0);
    }

    [Fact]
    public void Update_SerialisesReadModifyWrite()
    {
        Parallel.For(0, 8, i => UsersFile.Update(Path, users =>
        {
            users.Add(new UserEntry($"u{i}", "u", Roles.It, Hash, false, At));
            UsersFile.Save(Path, users);
            return 0;
        }));

        Assert.Equal(8, UsersFile.Load(Path).Count);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "{ nope", "is not a valid users file:" },
        { """{"version": 2, "users": []}""", "has version 2; this hub reads version 1" },
        { """{"version": 1, "users": [{"name": "a"}]}""", "missing required properties" },
        { """{"version": 1, "users": [], "admins": []}""", "is not a valid users file:" },
        { Users(("Alice", "it", HashText)), "users[0]: name 'Alice' must be 1–64 of a-z, 0-9, '-', '_', '.'" },
        { Users(("a", "it", HashText), ("a", "admin", HashText)), "users[1] 'a': duplicate name" },
        { Users(("a", "root", HashText)), "users[0] 'a': role 'root' is not one of it, disaster, weather, admin, service" },
        { Users(("a", "it", "hunter2-typed-here")), "users[0] 'a': passwordHash is not an ASP.NET Core Identity password hash" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Load_BadFile_SaysWhatIsWrong(string json, string expected)
    {
        File.WriteAllText(Path, json);

        var error = Assert.Throws<UsersFileException>(() => UsersFile.Load(Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_MissingDirectory_SaysSo()
    {
        var error = Assert.Throws<UsersFileException>(() => UsersFile.Load("/nonexistent/dir/users.json"));

        Assert.Equal("directory '/nonexistent/dir' does not exist", error.Message);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("it-staff_01.x", true)]
    [InlineData("", false)]
    [InlineData("Admin", false)]
    [InlineData("a b", false)]
    [InlineData("名前", false)]
    public void IsValidName_FollowsTheRule(string name, bool valid)
    {
        Assert.Equal(valid, UsersFile.IsValidName(name));
        Assert.True(UsersFile.IsValidName(new string('a', 64)));
        Assert.False(UsersFile.IsValidName(new string('a', 65)));
    }

    [Fact]
    public void VerifyPassword_RightWrongAndGarbage()
    {
        Assert.True(UsersFile.VerifyPassword(Hash, "correct horse battery"));
        Assert.False(UsersFile.VerifyPassword(Hash, "correct horse battery "));
        Assert.False(UsersFile.VerifyPassword("not base64 ***", "x"));
    }

    private const string HashText = "AQAAAAIAAYagAAAAEMLubOisG1sO4aXS3eRXpsBpVkLI3tBH0ux+91Sqp7mXPF1ug9NV5yxR9JuoCcTo7g==";

    private static string Users(params (string Name, string Role, string Hash)[] users) =>
        $$"""{"version": 1, "users": [{{string.Join(", ", users.Select(u =>
            $$"""{"name": "{{u.Name}}", "displayName": "x", "role": "{{u.Role}}", "passwordHash": "{{u.Hash}}", "disabled": false, "changedAt": "2026-11-24T00:00:00Z"}"""))}}]}""";
}
