using FacilityHub.Contracts.Access;
using FacilityHub.Hub.Access;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FacilityHub.Hub.Tests.Access;

public sealed class UserStoreTests : IDisposable
{
    private static readonly string Hash = UsersFile.HashPassword("correct horse battery");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly TempDir _dir = new("user-store");

    private string Path => _dir.Combine("users.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryGet_FileChanged_SeenOnlyAfterASecond()
    {
        UsersFile.Save(Path, [User("a", Roles.It)]);
        var store = Store();

        UsersFile.Save(Path, [User("a", Roles.It), User("b", Roles.Weather)]);
        var before = store.TryGet("b", out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = store.TryGet("b", out var b);

        Assert.False(before);
        Assert.True(after);
        Assert.Equal(Roles.Weather, b!.Role);
    }

    [Fact]
    public void TryGet_FileTurnsBad_KeepsTheUsersReadBefore()
    {
        UsersFile.Save(Path, [User("a", Roles.It)]);
        var store = Store();

        File.WriteAllText(Path, "{ half a file");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(store.TryGet("a", out _));
    }

    [Fact]
    public void TryGet_FileDeleted_NoUsers()
    {
        UsersFile.Save(Path, [User("a", Roles.It)]);
        var store = Store();

        File.Delete(Path);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(store.TryGet("a", out _));
    }

    [Fact]
    public void Admits_OnlyAnEnabledUnchangedUserWithTheTokensRole()
    {
        var issued = _time.GetUtcNow();
        UsersFile.Save(Path,
        [
            User("ok", Roles.It, changedAt: issued.AddMinutes(-1)),
            User("off", Roles.It, disabled: true, changedAt: issued.AddMinutes(-1)),
            User("moved", Roles.Weather, changedAt: issued.AddMinutes(-1)),
            User("reset", Roles.It, changedAt: issued.AddMinutes(1)),
        ]);
        var store = Store();
        TokenClaims Claims(string user) => new(user, Roles.It, issued, issued.AddHours(12));

        Assert.True(store.Admits(Claims("ok"), out _));
        Assert.False(store.Admits(Claims("off"), out var off));
        Assert.False(store.Admits(Claims("moved"), out var moved));
        Assert.False(store.Admits(Claims("reset"), out var reset));
        Assert.False(store.Admits(Claims("gone"), out var gone));
        Assert.Equal(
            ["user is disabled", "user was changed after the token was issued", "user was changed after the token was issued", "user no longer exists"],
            [off, moved, reset, gone]);
    }

    private UserStore Store() =>
        new(Options.Create(new AccessOptions { UsersFile = Path }), _time, NullLogger<UserStore>.Instance);

    private UserEntry User(string name, string role, bool disabled = false, DateTimeOffset? changedAt = null) =>
        new(name, name, role, Hash, disabled, changedAt ?? _time.GetUtcNow());
}
