using FacilityHub.Contracts.Messages;
using FacilityHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>
/// The IT staff's views (/aps, /aps/site/…, /aps/ap/…, /agents) against the shared city. The devices here are used by
/// no other test: cc-kuji-ap*, shl-omika-es-ap1, shl-kawarago-es-ap1, civic-1f-01, civic-3f-0*, agents it-view-*.
/// </summary>
[Collection(CityCollection.Name)]
public sealed class ItViewTests(City city)
{
    private const int PhoneWidth = 390, PhoneHeight = 844, WallWidth = 1920, WallHeight = 1080;

    [Fact]
    public async Task Overview_PublishedAps_SiteCardsShowClientsWithDownSitesFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        var ts = NowMs();
        await agent.PublishAsync("fh/v1/ap/shl-omika-es/shl-omika-es-ap1", ApSample(ts, "it-view-overview", 1, clients2g: 12, clients5g: 31), ct);
        await agent.PublishAsync("fh/v1/ap/cc-kuji/cc-kuji-ap1", ApDown(ts, "it-view-overview", 2), ct);
        // 80 % on 5 GHz is over the default 70 % limit.
        await agent.PublishAsync("fh/v1/ap/cc-kuji/cc-kuji-ap2", ApSample(ts, "it-view-overview", 3, clients2g: 3, clients5g: 4, util5g: 80), ct);

        await using var p = await city.OpenAsync("aps", "it", WallWidth, WallHeight);
        var omika = p.Page.GetByTestId("aps-site-shl-omika-es");
        await Expect(p.Page.GetByTestId("aps-site-shl-omika-es-clients")).ToHaveTextAsync("43");
        await Expect(omika).ToHaveAttributeAsync("data-attention", "ok");
        await Expect(p.Page.GetByTestId("aps-site-shl-omika-es-attention")).ToHaveTextAsync("正常");
        var kuji = p.Page.GetByTestId("aps-site-cc-kuji");
        await Expect(kuji).ToHaveAttributeAsync("data-attention", "down");
        await Expect(p.Page.GetByTestId("aps-site-cc-kuji-down")).ToHaveTextAsync("1");
        await Expect(p.Page.GetByTestId("aps-site-cc-kuji-overloaded")).ToHaveTextAsync("1");
        await Expect(p.Page.GetByTestId("aps-site-cc-kuji-util5g")).ToHaveTextAsync("80.0%");

        var order = await p.Page.Locator(".aps-site").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.testid)");
        Assert.True(Array.IndexOf(order, "aps-site-cc-kuji") < Array.IndexOf(order, "aps-site-shl-omika-es"), string.Join(", ", order));
        await Expect(p.Page.GetByTestId("aps-attention-cc-kuji-ap1")).ToHaveAttributeAsync("data-health", "down");
        await Expect(p.Page.GetByTestId("aps-attention-cc-kuji-ap2")).ToHaveAttributeAsync("data-health", "overloaded");

        // The card leads to the site's grid.
        await p.Page.GetByTestId("aps-site-shl-omika-es").GetByRole(AriaRole.Link).ClickAsync();
        await p.Page.WaitForURLAsync("**/aps/site/shl-omika-es");
        await Expect(p.Page.GetByTestId("ap-shl-omika-es-ap1-clients")).ToHaveTextAsync("43");

        await p.Page.GoBackAsync();
        await Expect(p.Page.GetByTestId("aps-site-shl-omika-es-clients")).ToHaveTextAsync("43");
        await p.ScreenshotAsync("it-aps-1920");
        await p.Page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await p.ScreenshotAsync("it-aps-390");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task SiteGrid_CivicCenter_ShowsEveryFloorAndLiveClients()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        await using var p = await city.OpenAsync("aps/site/civic-center", "it", WallWidth, WallHeight);

        foreach (var floor in new[] { "B1", "1F", "2F", "3F", "4F", "5F", "6F" })
        {
            await Expect(p.Page.GetByTestId($"aps-floor-{floor}")).ToBeVisibleAsync();
        }
        var floors = await p.Page.Locator(".aps-floor").EvaluateAllAsync<string[]>("s => s.map(f => f.dataset.testid)");
        Assert.Equal(["aps-floor-B1", "aps-floor-1F", "aps-floor-2F", "aps-floor-3F", "aps-floor-4F", "aps-floor-5F", "aps-floor-6F"], floors);
        await Expect(p.Page.GetByTestId("aps-floor-3F").Locator(".aps-tile")).ToHaveCountAsync(5);

        var ts = NowMs();
        await agent.PublishAsync("fh/v1/ap/civic-center/civic-3f-01", ApSample(ts, "it-view-grid", 1, clients2g: 7, clients5g: 14), ct);
        await agent.PublishAsync("fh/v1/ap/civic-center/civic-3f-02", ApDown(ts, "it-view-grid", 2), ct);
        await Expect(p.Page.GetByTestId("ap-civic-3f-01-clients")).ToHaveTextAsync("21");
        await Expect(p.Page.GetByTestId("ap-civic-3f-01")).ToHaveAttributeAsync("data-health", "up");
        await Expect(p.Page.GetByTestId("ap-civic-3f-02")).ToHaveAttributeAsync("data-health", "down");
        await Expect(p.Page.GetByTestId("ap-civic-3f-02-status")).ToHaveTextAsync("停止");
        await Expect(p.Page.GetByTestId("aps-site-attention")).ToHaveAttributeAsync("data-attention", "down");

        await p.ScreenshotAsync("it-site-civic-1920");
        await p.Page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await p.ScreenshotAsync("it-site-civic-390");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task ApDetail_StoredSamples_ChartsDrawThemAndRangesSwitch()
    {
        var ct = TestContext.Current.CancellationToken;
        const string agentId = "it-view-detail";
        await using var acks = await AckListener.ConnectAsync(city.Hub.MqttPort, agentId);
        await using var agent = await city.PublisherAsync();
        var now = NowMs();
        for (var i = 0; i < 6; i++)
        {
            // Ten minutes apart over the last hour, oldest first, ending with the live value.
            await agent.PublishAsync("fh/v1/ap/civic-center/civic-1f-01",
                ApSample(now.AddMinutes(-50 + (i * 10)), agentId, i + 1, clients2g: 10 + i, clients5g: 20 + i, util2g: 30 + (5 * i), cpu: 12.5, mem: 40), ct);
        }
        // The hub acknowledges a seq once its point is in InfluxDB: from then on the history has it.
        await Wait.UntilAsync(() => acks.Acked.Count == 6, "the six samples stored");

        await using var p = await city.OpenAsync("aps/ap/civic-1f-01", "it", WallWidth, WallHeight);
        await Expect(p.Page.GetByTestId("ap-civic-1f-01-clients")).ToHaveTextAsync("40");
        await Expect(p.Page.GetByTestId("ap-civic-1f-01-cpu")).ToHaveTextAsync("12.5%");
        await Expect(p.Page.GetByTestId("ap-civic-1f-01-uptime")).ToContainTextAsync("1日");
        await Expect(p.Page.GetByTestId("ap-history")).ToHaveAttributeAsync("data-range", "1h");
        foreach (var chart in new[] { "chart-ap-clients", "chart-ap-util", "chart-ap-throughput" })
        {
            await Expect(p.Page.GetByTestId(chart)).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        }
        await p.ScreenshotAsync("it-ap-detail-1920");
        await p.Page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await p.ScreenshotAsync("it-ap-detail-390");

        await p.Page.GetByTestId("ap-range-24h").ClickAsync();
        await p.Page.WaitForURLAsync("**/aps/ap/civic-1f-01?range=24h");
        await Expect(p.Page.GetByTestId("ap-history")).ToHaveAttributeAsync("data-range", "24h");
        await Expect(p.Page.GetByTestId("chart-ap-clients")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task ApDetail_UnknownAp_SaysNotFound()
    {
        await using var p = await city.OpenAsync("aps/ap/no-such-ap", "it");
        await Expect(p.Page.GetByTestId("ap-not-found")).ToContainTextAsync("no-such-ap");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task Agents_BadPayload_ListedWithItsReasonWhileThePageIsOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        var ts = NowMs();
        await agent.PublishAsync("fh/v1/agent/it-view-agent/status",
            $$"""{"ts":"{{TimestampJsonConverter.ToWire(ts)}}","state":"online","version":"9.9.9","queued":17,"oldestUnackedS":42,"evicted":0}""", ct);

        await using var p = await city.OpenAsync("agents", "it", WallWidth, WallHeight);
        await Expect(p.Page.GetByTestId("agent-it-view-agent-state")).ToHaveTextAsync("オンライン");
        await Expect(p.Page.GetByTestId("agent-it-view-agent-queued")).ToHaveTextAsync("17");
        await Expect(p.Page.GetByTestId("agent-it-view-agent-version")).ToHaveTextAsync("9.9.9");
        await Expect(p.Page.GetByTestId("rejected-fetched")).ToBeVisibleAsync();

        // Published after the page has loaded its list: it arrives with the page's next refresh.
        const string topic = "fh/v1/ap/shl-kawarago-es/shl-kawarago-es-ap1";
        await agent.PublishAsync(topic,
            $$"""{"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"it-view-bad","seq":1,"status":"up","clients2g":-5,"clients5g":1,"channelUtil2gPct":1,"channelUtil5gPct":1,"rxBps":1,"txBps":1,"noiseDbm":-90,"uptimeS":1}""", ct);
        var row = p.Page.Locator($"tr[data-topic='{topic}']").First;
        await Expect(row).ToHaveAttributeAsync("data-reason", "out_of_range", new() { Timeout = 20_000 });
        await Expect(row).ToContainTextAsync("範囲外");
        await Expect(row).ToContainTextAsync("clients2g");

        await p.ScreenshotAsync("it-agents-1920");
        await p.Page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await p.ScreenshotAsync("it-agents-390");
        Assert.Empty(p.Errors);
    }

    private static DateTimeOffset NowMs() =>
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToOffset(TimeSpan.FromHours(9));

    private static string ApSample(DateTimeOffset ts, string agent, long seq, int clients2g, int clients5g,
        double util2g = 42.5, double util5g = 18.0, double cpu = 10, double mem = 30) => $$"""
        {"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"{{agent}}","seq":{{seq}},"status":"up","clients2g":{{clients2g}},"clients5g":{{clients5g}},"channelUtil2gPct":{{N(util2g)}},"channelUtil5gPct":{{N(util5g)}},"rxBps":12345678,"txBps":2345678,"noiseDbm":-92,"uptimeS":90061,"cpuPct":{{N(cpu)}},"memPct":{{N(mem)}}}
        """;

    private static string N(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ApDown(DateTimeOffset ts, string agent, long seq) =>
        $$"""{"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"{{agent}}","seq":{{seq}},"status":"down"}""";
}
