using FacilityHub.TestSupport;
using Microsoft.Playwright;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>
/// One real InfluxDB, hub (embedded broker), dashboard and Chromium shared by every browser test in the
/// <see cref="CityCollection"/>: starting them per test would cost most of the suite's time. Tests stay
/// independent by publishing for devices no other test uses and by opening each page in its own browser
/// context (own cookies, so own sign-in).
/// </summary>
public sealed class City : IAsyncLifetime
{
    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public InfluxServer Influx { get; private set; } = default!;

    public HubProcess Hub { get; private set; } = default!;

    public DashboardProcess Dashboard { get; private set; } = default!;

    public Browser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Influx = await InfluxServer.StartAsync();
        Hub = await HubProcess.StartAsync(Influx);
        Dashboard = await DashboardProcess.StartAsync(Hub.BaseUrl);
        Browser = await Browser.StartAsync();
        Directory.CreateDirectory(Screenshots);
    }

    public Task<TestPublisher> PublisherAsync() => TestPublisher.ConnectAsync(Hub.MqttPort);

    /// <summary>A fresh browser context at <paramref name="path"/>, signed in as a person with <paramref name="role"/>.</summary>
    public async Task<CityPage> OpenAsync(string path, string role, int width = 1280, int height = 900)
    {
        var context = await Browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
        });
        var page = await context.NewPageAsync();
        var opened = new CityPage(context, page);
        await SignInAsync(page, role);
        await page.GotoAsync(new Uri(Dashboard.BaseUrl, path.TrimStart('/')).ToString());
        return opened;
    }

    // Filled in with the hub's user store: signs in through the real sign-in form.
    private static Task SignInAsync(IPage page, string role) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Hub.DisposeAsync();
        await Influx.DisposeAsync();
    }
}

/// <summary>A page in its own browser context, collecting console errors and failed requests as it goes.</summary>
public sealed class CityPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    public CityPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                Errors.Add(m.Text);
            }
        };
        page.PageError += (_, e) => Errors.Add(e);
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    /// <summary>Saves a full-page screenshot under the test output and asserts nothing overflows sideways.</summary>
    public async Task ScreenshotAsync(string name)
    {
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(City.Screenshots, name + ".png"), FullPage = true });
        var overflow = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{name}: the page is {overflow}px wider than the viewport");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class CityCollection : ICollectionFixture<City>
{
    public const string Name = "city";
}
