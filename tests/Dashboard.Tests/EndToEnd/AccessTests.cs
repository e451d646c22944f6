using System.Net;
using FacilityHub.Contracts.Access;
using FacilityHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>Who sees what: each role in a real browser, and the hub answering direct requests by role.</summary>
[Collection(CityCollection.Name)]
public sealed class AccessTests(City city)
{
    public static TheoryData<string, string[], string[]> RoleViews() => new()
    {
        { Roles.It, ["aps", "agents"], ["shelters", "weather"] },
        { Roles.Disaster, ["shelters"], ["aps", "agents", "weather"] },
        { Roles.Weather, ["weather"], ["aps", "agents", "shelters"] },
        { Roles.Admin, ["aps", "agents", "shelters", "weather"], [] },
    };

    [Theory]
    [MemberData(nameof(RoleViews))]
    public async Task Role_SeesItsViewsAndIsDeniedTheOthers(string role, string[] allowed, string[] denied)
    {
        await using var p = await city.OpenAsync("", role);

        await Expect(p.Page.GetByTestId("signed-in-user")).ToHaveAttributeAsync("data-role", role);
        foreach (var view in allowed)
        {
            await Expect(p.Page.GetByTestId($"nav-{view}")).ToBeVisibleAsync();
        }
        foreach (var view in denied)
        {
            await Expect(p.Page.GetByTestId($"nav-{view}")).ToHaveCountAsync(0);
        }
        foreach (var view in allowed)
        {
            var response = await p.Page.GotoAsync(new Uri(city.Dashboard.BaseUrl, view).ToString());
            Assert.Equal(200, response!.Status);
            await Expect(p.Page.GetByTestId("access-denied")).ToHaveCountAsync(0);
        }
        foreach (var view in denied)
        {
            await p.Page.GotoAsync(new Uri(city.Dashboard.BaseUrl, view).ToString());
            await Expect(p.Page.GetByTestId("access-denied")).ToBeVisibleAsync();
        }
        Assert.Empty(p.Errors);
    }

    [Theory]
    [MemberData(nameof(RoleViews))]
    public async Task Hub_AskedDirectlyWithAPersonsToken_RefusesOtherRolesData(string role, string[] allowed, string[] denied)
    {
        var token = (await city.Hub.TokenAsync(City.People[role], City.Password)).AccessToken;
        using var http = new HttpClient { BaseAddress = city.Hub.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var probes = new Dictionary<string, string>
        {
            ["aps"] = "api/history?id=civic-1f-01",
            ["agents"] = "api/agents",
            ["shelters"] = "api/history?id=shl-juo-es",
            ["weather"] = "api/history?id=" + FirstStation(),
        };

        foreach (var view in allowed)
        {
            using var response = await http.GetAsync(probes[view]);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} asking for {probes[view]}: {(int)response.StatusCode}");
        }
        foreach (var view in denied)
        {
            using var response = await http.GetAsync(probes[view]);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} asking for {probes[view]}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Anonymous_GetsTheSignInPage_AndReturnsToTheRequestedViewAfterSigningIn()
    {
        var context = await city.Browser.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "shelters").ToString());
            await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
            Assert.Contains("returnUrl=%2Fshelters", page.Url, StringComparison.OrdinalIgnoreCase);

            await page.GetByTestId("sign-in-user").FillAsync(City.People[Roles.Disaster]);
            await page.GetByTestId("sign-in-password").FillAsync(City.Password);
            await page.GetByTestId("sign-in-submit").ClickAsync();

            await page.WaitForURLAsync("**/shelters");
            await Expect(page.GetByTestId("signed-in-user")).ToHaveAttributeAsync("data-role", Roles.Disaster);
            var cookies = await context.CookiesAsync();
            var session = Assert.Single(cookies, c => c.Name == "fh.session");
            Assert.True(session.HttpOnly);
            Assert.True(session.Secure);
            Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task WrongPassword_IsRefusedWithAMessage_AndSignOutEndsTheSession()
    {
        await using var p = await city.OpenAsync("", Roles.Weather);
        await p.Page.GetByTestId("sign-out").ClickAsync();
        await Expect(p.Page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();

        await p.Page.GetByTestId("sign-in-user").FillAsync(City.People[Roles.Weather]);
        await p.Page.GetByTestId("sign-in-password").FillAsync("not the password");
        await p.Page.GetByTestId("sign-in-submit").ClickAsync();

        await Expect(p.Page.GetByTestId("sign-in-error")).ToHaveAttributeAsync("data-reason", "invalid");
        await p.Page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "weather").ToString());
        await Expect(p.Page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RepeatedFailures_LockTheUserName_AndSayForHowLong()
    {
        const string victim = "locked-out-person";
        await city.Hub.AddUserAsync(victim, Roles.Weather, City.Password);
        var context = await city.Browser.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            var reason = "";
            for (var attempt = 0; attempt < 10 && reason != "locked"; attempt++)
            {
                await page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "account/sign-in").ToString());
                await page.GetByTestId("sign-in-user").FillAsync(victim);
                await page.GetByTestId("sign-in-password").FillAsync("wrong " + attempt);
                await page.GetByTestId("sign-in-submit").ClickAsync();
                await Expect(page.GetByTestId("sign-in-error")).ToBeVisibleAsync();
                reason = await page.GetByTestId("sign-in-error").GetAttributeAsync("data-reason") ?? "";
            }
            Assert.Equal("locked", reason);

            // Even the right password is refused while the name is locked.
            await page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "account/sign-in").ToString());
            await page.GetByTestId("sign-in-user").FillAsync(victim);
            await page.GetByTestId("sign-in-password").FillAsync(City.Password);
            await page.GetByTestId("sign-in-submit").ClickAsync();
            await Expect(page.GetByTestId("sign-in-error")).ToHaveAttributeAsync("data-reason", "locked");
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirOpenSession()
    {
        const string person = "soon-disabled";
        await city.Hub.AddUserAsync(person, Roles.It, City.Password);
        var context = await city.Browser.Chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await City.SignInAsync(page, city.Dashboard.BaseUrl, person, City.Password);
            await Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();

            await city.Hub.DisableUserAsync(person);

            // The dashboard re-checks sessions against the hub (Account:RecheckEvery, 2 s in the test city).
            await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "aps").ToString());
            await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task Language_SwitchesToEnglishAndBack_AndStays()
    {
        await using var p = await city.OpenAsync("", Roles.Admin);
        await Expect(p.Page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(p.Page.GetByTestId("nav-shelters")).ToHaveTextAsync("避難所");

        await p.Page.GetByTestId("language-switch").ClickAsync();
        await Expect(p.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(p.Page.GetByTestId("nav-shelters")).ToHaveTextAsync("Shelters");
        await p.Page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "shelters").ToString());
        await Expect(p.Page.GetByTestId("nav-shelters")).ToHaveTextAsync("Shelters");

        await p.Page.GetByTestId("language-switch").ClickAsync();
        await Expect(p.Page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_AndFormsWithoutAntiforgeryAreRefused()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = city.Dashboard.BaseUrl };

        using var page = await http.GetAsync("account/sign-in");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));

        using var forged = await http.PostAsync("account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.User"] = City.People[Roles.Admin],
            ["Input.Password"] = City.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("fh.session", StringComparison.Ordinal)));

        using var culture = await http.PostAsync("culture", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "en" }));
        Assert.Equal(HttpStatusCode.BadRequest, culture.StatusCode);
    }

    private static string FirstStation()
    {
        var registry = FacilityHub.Contracts.Sites.SiteRegistry.Load(RepoPaths.SampleRegistry);
        return registry.Sites.First(s => s.Kind == FacilityHub.Contracts.Sites.SiteKind.WeatherStation).Id;
    }
}
