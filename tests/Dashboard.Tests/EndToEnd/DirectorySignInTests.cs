using FacilityHub.Contracts.Access;
using FacilityHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>
/// A city whose dashboard signs staff in through its directory (<c>Account:Directory</c>): real InfluxDB,
/// hub, dashboard and Chromium, and a minimal OpenID Connect provider on loopback standing in for the
/// directory, at <c>localhost</c> so that to the browser it is another site than the dashboard's <c>127.0.0.1</c>. Its own servers, not the shared city's, since the dashboard starts with the directory configured.
/// </summary>
public sealed class DirectoryCity : IAsyncLifetime
{
    public const string ClientId = "facilityhub";

    private readonly TempDir _secrets = new("directory");

    public InfluxServer Influx { get; private set; } = default!;

    public HubProcess Hub { get; private set; } = default!;

    public TestDirectory Directory { get; private set; } = default!;

    public DashboardProcess Dashboard { get; private set; } = default!;

    public Browser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var secretFile = _secrets.Combine("client-secret");
        await File.WriteAllTextAsync(secretFile, secret + "\n");
        Influx = await InfluxServer.StartAsync();
        Hub = await HubProcess.StartAsync(Influx);
        Directory = await TestDirectory.StartAsync(ClientId, secret);
        Dashboard = await DashboardProcess.StartAsync(Hub,
            "--Account:Directory:Authority", Directory.Url,
            "--Account:Directory:ClientId", ClientId,
            "--Account:Directory:ClientSecretFile", secretFile,
            "--Account:Directory:DisplayName", "City staff directory",
            "--Account:Directory:Roles:hq-staff", Roles.Disaster,
            "--Account:Directory:Roles:facility-it", Roles.It);
        Browser = await Browser.StartAsync();
    }

    public async Task<CityPage> NewPageAsync()
    {
        var context = await Browser.Chromium.NewContextAsync(new BrowserNewContextOptions { Locale = "ja-JP", TimezoneId = "Asia/Tokyo" });
        return new CityPage(context, await context.NewPageAsync());
    }

    public string At(string path) => new Uri(Dashboard.BaseUrl, path.TrimStart('/')).ToString();

    public async ValueTask DisposeAsync()
    {
        // Each only if it started, so a failed start still stops what came before it.
        if (Browser is not null) await Browser.DisposeAsync();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        if (Directory is not null) await Directory.DisposeAsync();
        if (Hub is not null) await Hub.DisposeAsync();
        if (Influx is not null) await Influx.DisposeAsync();
        _secrets.Dispose();
    }
}

/// <summary>Tests in this class run one after another, so each may choose who the directory signs in.</summary>
public sealed class DirectorySignInTests(DirectoryCity city) : IClassFixture<DirectoryCity>
{
    [Fact]
    public async Task DirectoryPerson_WithAMappedRole_LandsOnTheRequestedView_WithThatRoleOnly()
    {
        city.Directory.SignedInPerson = new("0b7c1e", "yamada.hanako", "山田 花子", ["hq-staff", "library-users"]);
        var issued = city.Directory.TokensIssued;
        await using var p = await city.NewPageAsync();

        await p.Page.GotoAsync(city.At("shelters"));
        await Expect(p.Page.GetByTestId("sign-in-directory")).ToBeVisibleAsync();
        await Expect(p.Page.GetByTestId("sign-in-directory")).ToContainTextAsync("City staff directory");
        await p.Page.GetByTestId("sign-in-directory").GetByRole(AriaRole.Button).ClickAsync();

        await p.Page.WaitForURLAsync(city.At("shelters"));
        await Expect(p.Page.GetByTestId("signed-in-user")).ToHaveAttributeAsync("data-role", Roles.Disaster);
        await Expect(p.Page.GetByTestId("signed-in-user")).ToContainTextAsync("山田 花子");
        await Expect(p.Page.GetByTestId("access-denied")).ToHaveCountAsync(0);
        Assert.Equal(issued + 1, city.Directory.TokensIssued);
        await Wait.UntilAsync(() => city.Dashboard.Process.Output.Contains("yamada.hanako signed in through the directory as disaster", StringComparison.Ordinal),
            "the dashboard to log the directory sign-in");
        var session = Assert.Single(await p.Page.Context.CookiesAsync(), c => c.Name == "fh.session");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        // Lax, not Strict: the redirect after the directory's (cross-site) answer must carry it.
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);

        await p.Page.GotoAsync(city.At("aps"));
        await Expect(p.Page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(p.Page.GetByTestId("signed-in-user")).ToHaveAttributeAsync("data-role", Roles.Disaster);

        Assert.Empty(city.Directory.Refusals);
        AssertNoConsoleErrors(p);
    }

    [Fact]
    public async Task DirectoryPerson_WithNoMappedRole_IsSentBackToSignIn_WithoutASession()
    {
        city.Directory.SignedInPerson = new("9f31aa", "guest.visitor", "Guest Visitor", ["library-users"]);
        var issued = city.Directory.TokensIssued;
        await using var p = await city.NewPageAsync();

        await p.Page.GotoAsync(city.At("account/sign-in?returnUrl=%2Fshelters"));
        await p.Page.GetByTestId("sign-in-directory").GetByRole(AriaRole.Button).ClickAsync();

        await Expect(p.Page.GetByTestId("sign-in-error")).ToHaveAttributeAsync("data-reason", "directory");
        Assert.StartsWith(city.At("account/sign-in"), p.Page.Url, StringComparison.Ordinal);
        // The directory did vouch for them (a token was issued); the dashboard refused them for want of a role.
        Assert.Equal(issued + 1, city.Directory.TokensIssued);
        Assert.DoesNotContain(await p.Page.Context.CookiesAsync(), c => c.Name == "fh.session");
        await Wait.UntilAsync(() => city.Dashboard.Process.Output.Contains("Refused directory sign-in of guest.visitor", StringComparison.Ordinal),
            "the dashboard to log why it refused the directory person");

        await p.Page.GotoAsync(city.At("shelters"));
        await Expect(p.Page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
        Assert.Empty(city.Directory.Refusals);
        AssertNoConsoleErrors(p);
    }

    [Fact]
    public async Task SignInPage_AllowsFormPostsToTheDirectory_AndTheFlowLogsNoConsoleErrors()
    {
        city.Directory.SignedInPerson = new("44d0e2", "kato.ken", "加藤 健", ["facility-it"]);
        await using var p = await city.NewPageAsync();

        var response = await p.Page.GotoAsync(city.At("account/sign-in"));
        var csp = (await response!.AllHeadersAsync())["content-security-policy"];
        var formAction = Assert.Single(csp.Split(';', StringSplitOptions.TrimEntries), d => d.StartsWith("form-action ", StringComparison.Ordinal));
        Assert.Equal($"form-action 'self' {city.Directory.Url}", formAction);

        await p.Page.GetByTestId("sign-in-directory").GetByRole(AriaRole.Button).ClickAsync();
        await p.Page.WaitForURLAsync(city.At(""));
        await Expect(p.Page.GetByTestId("signed-in-user")).ToHaveAttributeAsync("data-role", Roles.It);
        await Expect(p.Page.GetByTestId("nav-aps")).ToBeVisibleAsync();

        // A blocked form-action or any script error in the round trip would show here.
        AssertNoConsoleErrors(p);
        Assert.Empty(city.Directory.Refusals);
    }

    private static void AssertNoConsoleErrors(CityPage p) => Assert.True(p.Errors.Count == 0, string.Join("\n", p.Errors));
}
