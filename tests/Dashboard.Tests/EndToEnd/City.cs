using FacilityHub.Contracts.Access;
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

    /// <summary>One person per role, in the hub's user store; the password is the same test-only one for all.</summary>
    public static IReadOnlyDictionary<string, string> People { get; } = new Dictionary<string, string>
    {
        [Roles.It] = "it-sato",
        [Roles.Disaster] = "hq-suzuki",
        [Roles.Weather] = "wx-tanaka",
        [Roles.Admin] = "admin-ito",
    };

    public const string Password = "correct horse battery staple";

    public async ValueTask InitializeAsync()
    {
        Influx = await InfluxServer.StartAsync();
        Hub = await HubProcess.StartAsync(Influx);
        foreach (var (role, name) in People)
        {
            await Hub.AddUserAsync(name, role, Password);
        }
        // Sessions re-checked every 2 s so a disabled user's open page ends within the test's patience.
        Dashboard = await DashboardProcess.StartAsync(Hub, "--Account:RecheckEvery", "00:00:02");
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

    /// <summary>Signs in through the real form, as a person would; the dashboard asks the hub to check the password.</summary>
    public Task SignInAsync(IPage page, string role) => SignInAsync(page, Dashboard.BaseUrl, People[role], Password);

    public static async Task SignInAsync(IPage page, Uri dashboard, string user, string password)
    {
        await page.GotoAsync(new Uri(dashboard, "account/sign-in").ToString());
        await page.GetByTestId("sign-in-user").FillAsync(user);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));
    }

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
