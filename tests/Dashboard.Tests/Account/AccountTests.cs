using FacilityHub.Contracts.Access;
using FacilityHub.Dashboard.Account;
using FacilityHub.Dashboard.Localization;

namespace FacilityHub.Dashboard.Tests.Account;

public sealed class AccountTests
{
    private static readonly UserInfo Hq = new("hq-1", "本部 太郎", Roles.Disaster, Disabled: false);

    [Theory]
    [InlineData("/shelters", "/shelters")]
    [InlineData("/aps/ap/civic-1f-01?range=24h", "/aps/ap/civic-1f-01?range=24h")]
    [InlineData("/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("shelters", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void LocalPath_OnlyPathsOnThisSite_ElseHome(string? returnUrl, string expected) =>
        Assert.Equal(expected, Cultures.LocalPath(returnUrl));

    [Fact]
    public void StillValid_SameEnabledUserAndRole_Holds() =>
        Assert.True(AccountClaims.StillValid(AccountClaims.Principal(Hq), Hq));

    [Fact]
    public void StillValid_UserDisabled_Ends() =>
        Assert.False(AccountClaims.StillValid(AccountClaims.Principal(Hq), Hq with { Disabled = true }));

    [Fact]
    public void StillValid_RoleChanged_Ends() =>
        Assert.False(AccountClaims.StillValid(AccountClaims.Principal(Hq), Hq with { Role = Roles.It }));

    [Fact]
    public void StillValid_UserRemoved_Ends() =>
        Assert.False(AccountClaims.StillValid(AccountClaims.Principal(Hq), null));

    [Theory]
    [InlineData(Roles.It, true)]
    [InlineData(Roles.Disaster, true)]
    [InlineData(Roles.Weather, true)]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Service, false)]
    [InlineData("root", false)]
    public void MayUseDashboard_ServiceAccountAndUnknownRoles_AreRefused(string role, bool expected) =>
        Assert.Equal(expected, AccountClaims.MayUseDashboard(role));

    [Fact]
    public void Principal_CarriesNameDisplayNameAndRole()
    {
        var principal = AccountClaims.Principal(Hq);

        Assert.Equal("hq-1", principal.Identity!.Name);
        Assert.Equal(Roles.Disaster, principal.Role());
        Assert.True(principal.IsInRole(Roles.Disaster));
        Assert.Equal("本部 太郎", principal.FindFirst(AccountClaims.DisplayName)!.Value);
    }

    [Theory]
    [InlineData("00:00:30", "00:01:00", "Account:SessionLifetime must be between")]
    [InlineData("12:00:00", "00:00:00", "Account:RecheckEvery must be positive")]
    [InlineData("01:00:00", "02:00:00", "Account:RecheckEvery must be positive and at most the session lifetime")]
    public void AccountOptions_BadDurations_NameTheSetting(string lifetime, string recheck, string message)
    {
        var result = new AccountOptionsValidator().Validate(null, new AccountOptions
        {
            SessionLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture),
            RecheckEvery = TimeSpan.Parse(recheck, System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.True(result.Failed);
        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryOptions_Off_IsValid() =>
        Assert.True(new DirectoryOptionsValidator().Validate(null, new DirectoryOptions()).Succeeded);

    [Theory]
    [InlineData("http://login.city.example", "fh", "Account:Directory:Authority must be an absolute https:// URL")]
    [InlineData("login.city.example", "fh", "Account:Directory:Authority must be an absolute https:// URL")]
    [InlineData("https://login.city.example", "", "Account:Directory:ClientId is required")]
    public void DirectoryOptions_BadSettings_NameTheSetting(string authority, string clientId, string message)
    {
        var result = new DirectoryOptionsValidator().Validate(null, new DirectoryOptions
        {
            Authority = authority,
            ClientId = clientId,
            Roles = new() { ["facility-it"] = Roles.It },
        });

        Assert.True(result.Failed);
        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryOptions_MapsToServiceRole_IsRefused()
    {
        var result = new DirectoryOptionsValidator().Validate(null, new DirectoryOptions
        {
            Authority = "https://login.city.example",
            ClientId = "fh",
            Roles = new() { ["robots"] = Roles.Service },
        });

        Assert.Equal("Account:Directory:Roles:robots must be one of it, disaster, weather, admin, got 'service'", result.FailureMessage);
    }

    [Fact]
    public void RoleFor_SeveralMappedValues_AdminWinsElseFirstByName()
    {
        var options = new DirectoryOptions
        {
            Roles = new() { ["g-it"] = Roles.It, ["g-hq"] = Roles.Disaster, ["g-admin"] = Roles.Admin },
        };

        Assert.Equal(Roles.Admin, options.RoleFor(["g-it", "g-admin"]));
        Assert.Equal(Roles.Disaster, options.RoleFor(["g-it", "g-hq"]));
        Assert.Equal(Roles.It, options.RoleFor(["other", "g-it"]));
        Assert.Null(options.RoleFor(["other"]));
    }
}
