using FacilityHub.Contracts.Messages;
using FacilityHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>Debian's Chromium against the real dashboard, hub, embedded broker and InfluxDB.</summary>
public sealed class LiveDashboardTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Dashboard_ValuesPublishedOverMqtt_AppearWithoutReload()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx);
        await using var dashboard = await DashboardProcess.StartAsync(hub);
        await using var browser = await Browser.StartAsync();
        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);
        var page = await browser.Chromium.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await SignInAsAdminAsync(hub, dashboard, page);
        var consoleErrors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                consoleErrors.Add(m.Text);
            }
        };

        // Every AP's tile (ap-{id}-clients) is on its site's floor grid; /aps shows one card per site.
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "aps/site/civic-center").ToString());
        await Expect(page.GetByTestId("connection-banner")).ToHaveAttributeAsync("data-state", "Connected");
        // A marker on the window survives only if the page is never reloaded.
        await page.EvaluateAsync("window.__noReload = true");

        var ts = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToOffset(TimeSpan.FromHours(9));
        await agent.PublishAsync("fh/v1/ap/civic-center/civic-1f-01", ApSample(ts, 1, clients2g: 12, clients5g: 31), ct);
        await Expect(page.GetByTestId("ap-civic-1f-01-clients")).ToHaveTextAsync("43");
        await agent.PublishAsync("fh/v1/ap/civic-center/civic-1f-01", ApSample(ts.AddSeconds(1), 2, clients2g: 20, clients5g: 57), ct);
        await Expect(page.GetByTestId("ap-civic-1f-01-clients")).ToHaveTextAsync("77");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "aps-1280.png"), FullPage = false });

        await page.GetByRole(AriaRole.Link, new() { Name = "避難所", Exact = false }).First.ClickAsync();
        await page.WaitForURLAsync("**/shelters");
        await agent.PublishAsync("fh/v1/shelter/shl-juo-es",
            $$"""{"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"browser-test","seq":3,"open":true,"occupancy":200,"accepting":true,"source":"tablet"}""", ct);
        await Expect(page.GetByTestId("shelter-shl-juo-es-occupancy")).ToHaveTextAsync("200");
        // 200 of the registry's 220 is 91 %: full, shown as text as well as colour.
        await Expect(page.GetByTestId("shelter-shl-juo-es-level")).ToHaveAttributeAsync("data-level", "full");
        await Expect(page.GetByTestId("shelter-shl-juo-es-level")).ToContainTextAsync("満");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "shelters-1280.png") });

        Assert.True(await page.EvaluateAsync<bool>("window.__noReload === true"), "the page was reloaded");
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task Dashboard_HubRestarts_ShowsLostConnectionThenFreshData()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx);
        await using var dashboard = await DashboardProcess.StartAsync(hub);
        await using var browser = await Browser.StartAsync();
        var page = await browser.Chromium.NewPageAsync();
        await SignInAsAdminAsync(hub, dashboard, page);
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "aps/site/civic-center").ToString());
        await Expect(page.GetByTestId("connection-banner")).ToHaveAttributeAsync("data-state", "Connected");
        await page.EvaluateAsync("window.__noReload = true");
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToOffset(TimeSpan.FromHours(9));
        await using (var agent = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            await agent.PublishAsync("fh/v1/ap/civic-center/civic-2f-01", ApSample(ts, 1, clients2g: 1, clients5g: 1), ct);
            await Expect(page.GetByTestId("ap-civic-2f-01-clients")).ToHaveTextAsync("2");
        }

        await hub.Process.KillAsync();
        var banner = page.GetByTestId("connection-banner");
        await Expect(banner).Not.ToHaveAttributeAsync("data-state", "Connected");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("ライブ接続が切れました");

        await hub.RestartAsync();
        await Expect(banner).ToHaveAttributeAsync("data-state", "Connected", new() { Timeout = 30_000 });
        await using (var agent = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            await agent.PublishAsync("fh/v1/ap/civic-center/civic-2f-01", ApSample(ts.AddSeconds(5), 2, clients2g: 40, clients5g: 59), ct);
            await Expect(page.GetByTestId("ap-civic-2f-01-clients")).ToHaveTextAsync("99");
        }
        Assert.True(await page.EvaluateAsync<bool>("window.__noReload === true"), "the page was reloaded");
    }

    private static string ApSample(DateTimeOffset ts, long seq, int clients2g, int clients5g) => $$"""
        {"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"browser-test","seq":{{seq}},"status":"up","clients2g":{{clients2g}},"clients5g":{{clients5g}},"channelUtil2gPct":42.5,"channelUtil5gPct":18.0,"rxBps":1234567,"txBps":2345678,"noiseDbm":-92,"uptimeS":86400}
        """;

    private static async Task SignInAsAdminAsync(HubProcess hub, DashboardProcess dashboard, IPage page)
    {
        await hub.AddUserAsync("admin-live", FacilityHub.Contracts.Access.Roles.Admin, City.Password);
        await City.SignInAsync(page, dashboard.BaseUrl, "admin-live", City.Password);
    }
}
