using FacilityHub.Contracts.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>
/// Every page at a phone's 390×844 and a wall screen's 1920×1080, in both languages: saved as a screenshot
/// under the test output (screenshots/), and checked for sideways overflow and console errors.
/// </summary>
[Collection(CityCollection.Name)]
public sealed class ScreenTests(City city)
{
    public static TheoryData<string, string, int, int> Pages()
    {
        var data = new TheoryData<string, string, int, int>();
        string[] paths = ["", "aps", "aps/site/civic-center", "aps/ap/civic-1f-01", "agents", "shelters", "shelters?wall=1", "weather", "weather/wx-juo"];
        foreach (var path in paths)
        {
            foreach (var culture in new[] { "ja", "en" })
            {
                data.Add(path, culture, 390, 844);
                data.Add(path, culture, 1920, 1080);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_FitsTheScreen_WithoutConsoleErrors(string path, string culture, int width, int height)
    {
        await using var p = await city.OpenAsync(path, Roles.Admin, width, height);
        if (culture == "en")
        {
            await p.Page.GetByTestId("language-switch").ClickAsync();
            await Expect(p.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        }
        await Expect(p.Page.GetByTestId("connection-banner")).ToHaveAttributeAsync("data-state", "Connected");
        // Let the interactive render settle (maps fit their bounds, charts arrive) before the picture.
        await p.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var name = (path.Length == 0 ? "home" : path.Replace('/', '-').Replace("?wall=1", "-wall", StringComparison.Ordinal)) + $"-{culture}-{width}x{height}";
        await p.ScreenshotAsync("all-" + name);
        Assert.Empty(p.Errors);
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1920, 1080)]
    public async Task SignInPage_FitsTheScreen_WithoutConsoleErrors(int width, int height)
    {
        var context = await city.Browser.Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await using var p = new CityPage(context, await context.NewPageAsync());
        await p.Page.GotoAsync(new Uri(city.Dashboard.BaseUrl, "account/sign-in").ToString());
        await Expect(p.Page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
        await p.ScreenshotAsync($"all-sign-in-{width}x{height}");
        Assert.Empty(p.Errors);
    }
}
