using System.Globalization;
using FacilityHub.Contracts.Messages;
using FacilityHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>
/// The disaster HQ's shelter view against the shared city. Each test reports for shelters of the sample registry
/// that no other test uses, so totals are checked as differences from what the page showed before.
/// </summary>
[Collection(CityCollection.Name)]
public sealed class SheltersPageTests(City city)
{
    private const string Role = "disaster";

    [Fact]
    public async Task ShelterReport_PublishedOverMqtt_UpdatesTotalsRowAndMarkerWithoutReload()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var p = await OpenAsync("shelters");
        var page = p.Page;
        await page.EvaluateAsync("window.__noReload = true");
        var marker = page.GetByTestId("map-marker-shl-nakasato-es");
        await Expect(marker).ToBeVisibleAsync();
        var evacueesBefore = await IntAsync(page.GetByTestId("shelters-total-evacuees"));
        var crowdedBefore = await IntAsync(page.GetByTestId("shelters-total-crowded"));

        await using var agent = await city.PublisherAsync();
        // 140 of the registry's 150: 93 %, full.
        await agent.PublishAsync("fh/v1/shelter/shl-nakasato-es", Report(Now(), 1, occupancy: 140), ct);

        await Expect(page.GetByTestId("shelter-shl-nakasato-es-occupancy")).ToHaveTextAsync("140");
        await Expect(page.GetByTestId("shelter-shl-nakasato-es-level")).ToHaveAttributeAsync("data-level", "full");
        await Expect(page.GetByTestId("shelter-shl-nakasato-es-level")).ToContainTextAsync("満");
        await Expect(page.GetByTestId("shelters-total-evacuees")).ToHaveTextAsync(Int(evacueesBefore + 140));
        await Expect(page.GetByTestId("shelters-total-crowded")).ToHaveTextAsync(Int(crowdedBefore + 1));
        await Expect(marker).ToHaveAttributeAsync("data-level", "lvl-full");
        await Expect(marker).ToHaveTextAsync("満 93%");

        await agent.PublishAsync("fh/v1/shelter/shl-nakasato-es", Report(Now().AddSeconds(1), 2, occupancy: 30), ct);
        await Expect(marker).ToHaveAttributeAsync("data-level", "lvl-available");
        await Expect(page.GetByTestId("shelters-total-evacuees")).ToHaveTextAsync(Int(evacueesBefore + 30));

        // A click on the marker brings its row into view and marks it.
        await marker.ClickAsync();
        var row = page.GetByTestId("shelter-shl-nakasato-es");
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("shl-selected"));
        await Expect(row).ToBeFocusedAsync();

        Assert.True(await page.EvaluateAsync<bool>("window.__noReload === true"), "the page was reloaded");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task ColumnHeader_Clicked_SortsByItAndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        // Omika: 95 % full but few people; Kuji JHS: many people, 55 % somewhat crowded.
        await agent.PublishAsync("fh/v1/shelter/shl-omika-es", Report(Now(), 1, occupancy: 361), ct);
        await agent.PublishAsync("fh/v1/shelter/shl-kuji-jhs", Report(Now(), 2, occupancy: 400, capacity: 730), ct);
        await using var p = await OpenAsync("shelters");
        var page = p.Page;
        await Expect(page.GetByTestId("shelter-shl-kuji-jhs-occupancy")).ToHaveTextAsync("400");
        await Expect(page.GetByTestId("shelter-shl-omika-es-occupancy")).ToHaveTextAsync("361");

        // By default the most crowded come first.
        await WaitForOrderAsync(page, "shl-omika-es", "shl-kuji-jhs");
        var levelHeader = page.Locator("th", new() { Has = page.GetByTestId("shelters-sort-level") });
        await Expect(levelHeader).ToHaveAttributeAsync("aria-sort", "descending");

        await page.GetByTestId("shelters-sort-occupancy").ClickAsync();
        await WaitForOrderAsync(page, "shl-kuji-jhs", "shl-omika-es");
        var occupancyHeader = page.Locator("th", new() { Has = page.GetByTestId("shelters-sort-occupancy") });
        await Expect(occupancyHeader).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(levelHeader).ToHaveAttributeAsync("aria-sort", "none");

        await page.GetByTestId("shelters-sort-occupancy").ClickAsync();
        await Expect(occupancyHeader).ToHaveAttributeAsync("aria-sort", "ascending");
        await WaitForOrderAsync(page, "shl-omika-es", "shl-kuji-jhs");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task ReportOlderThanStaleAfter_IsMarkedStaleOnMapAndTable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var p = await OpenAsync("shelters");
        var page = p.Page;
        await Expect(page.GetByTestId("map-marker-shl-mizuki-es")).ToBeVisibleAsync();
        await using var agent = await city.PublisherAsync();

        // The dashboard's StaleAfter is the default 5 min; the hub accepts a report 10 min old.
        await agent.PublishAsync("fh/v1/shelter/shl-mizuki-es", Report(Now().AddMinutes(-10), 1, occupancy: 200), ct);

        var row = page.GetByTestId("shelter-shl-mizuki-es");
        await Expect(row).ToHaveAttributeAsync("data-stale", "true");
        await Expect(page.GetByTestId("shelter-shl-mizuki-es-stale")).ToContainTextAsync("報告途絶");
        // The table still says what the last report said, marked stale; the map says only that it is stale.
        await Expect(page.GetByTestId("shelter-shl-mizuki-es-level")).ToHaveAttributeAsync("data-level", "full");
        var marker = page.GetByTestId("map-marker-shl-mizuki-es");
        await Expect(marker).ToHaveAttributeAsync("data-level", "lvl-stale");
        await Expect(marker).ToHaveTextAsync("報告途絶");
        await Expect(page.GetByTestId("shelters-legend-lvl-stale")).ToContainTextAsync("報告途絶");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task WallMode_Toggled_EnlargesTypeAndKeepsMapAndTable()
    {
        await using var p = await OpenAsync("shelters", 1920, 1080);
        var page = p.Page;
        var figure = page.GetByTestId("shelters-total-evacuees");
        await Expect(page.GetByTestId("shelters-page")).ToHaveAttributeAsync("data-wall", "false");
        var figureBefore = await FontSizeAsync(figure);
        var headerBefore = await FontSizeAsync(page.GetByTestId("shelters-sort-name"));

        await page.GetByTestId("shelters-wall-toggle").ClickAsync();

        await page.WaitForURLAsync("**/shelters?wall=1");
        await Expect(page.GetByTestId("shelters-page")).ToHaveAttributeAsync("data-wall", "true");
        var figureAfter = await FontSizeAsync(figure);
        Assert.True(figureAfter >= figureBefore * 1.5, $"the totals did not grow: {figureBefore}px before, {figureAfter}px in wall mode");
        Assert.True(await FontSizeAsync(page.GetByTestId("shelters-sort-name")) > headerBefore, "the table did not grow");
        await Expect(page.GetByTestId("site-map")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("shelters-table")).ToBeVisibleAsync();

        // Bookmarked, the wall screen opens straight in wall mode; the toggle leads back.
        await using var bookmarked = await OpenAsync("shelters?wall=1", 1920, 1080);
        await Expect(bookmarked.Page.GetByTestId("shelters-page")).ToHaveAttributeAsync("data-wall", "true");
        await bookmarked.Page.GetByTestId("shelters-wall-toggle").ClickAsync();
        await Expect(bookmarked.Page.GetByTestId("shelters-page")).ToHaveAttributeAsync("data-wall", "false");
        Assert.Empty(p.Errors);
        Assert.Empty(bookmarked.Errors);
    }

    [Fact]
    public async Task Map_WithoutTileServer_DrawsEveryShelterAndRequestsNothingElsewhere()
    {
        var requests = new List<string>();
        await using var p = await city.OpenAsync("shelters", Role);
        p.Page.Request += (_, r) =>
        {
            lock (requests)
            {
                requests.Add(r.Url);
            }
        };
        // Loaded again with the listener in place, so the page's every request is seen.
        await p.Page.ReloadAsync();
        await Expect(p.Page.GetByTestId("shelters-page")).ToHaveAttributeAsync("data-interactive", "true");

        // Every shelter of the sample registry has a marker with a text label.
        var markers = p.Page.Locator("[data-testid^='map-marker-shl-']");
        await Expect(markers).ToHaveCountAsync(40);
        await Expect(markers.First).Not.ToBeEmptyAsync();
        await Expect(p.Page.GetByTestId("connection-banner")).ToHaveAttributeAsync("data-state", "Connected");

        lock (requests)
        {
            Assert.NotEmpty(requests);
            Assert.All(requests, url => Assert.Equal("127.0.0.1", new Uri(url).Host));
        }
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task Screenshots_PhoneAndWallSizes_FitTheViewport()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        // A spread of levels for the pictures, on shelters no other test uses.
        (string Id, int Occupancy, bool Open, bool Accepting, int AgeMinutes)[] shelters =
        [
            ("shl-kuji-es", 80, true, true, 0),
            ("shl-higashiozawa-es", 120, true, true, 0),
            ("shl-okubo-es", 260, true, true, 0),
            ("shl-okubo-jhs", 700, true, true, 0),
            ("shl-daihara-jhs", 150, true, false, 0),
            ("shl-hanayama-es", 0, false, true, 0),
            ("shl-kawarago-es", 200, true, true, 12),
        ];
        var seq = 1;
        foreach (var s in shelters)
        {
            // An hour of history first, so the trend column has something to draw.
            for (var minutes = 60; minutes >= 15; minutes -= 15)
            {
                var earlier = Math.Max(0, s.Occupancy - (minutes * 2));
                await agent.PublishAsync($"fh/v1/shelter/{s.Id}", Report(Now().AddMinutes(-minutes - s.AgeMinutes), seq++, earlier, s.Open, s.Accepting), ct);
            }
            await agent.PublishAsync($"fh/v1/shelter/{s.Id}", Report(Now().AddMinutes(-s.AgeMinutes), seq++, s.Occupancy, s.Open, s.Accepting), ct);
        }

        foreach (var (width, height) in new[] { (390, 844), (1920, 1080) })
        {
            foreach (var wall in new[] { false, true })
            {
                await using var p = await OpenAsync(wall ? "shelters?wall=1" : "shelters", width, height);
                await Expect(p.Page.GetByTestId("shelter-shl-okubo-jhs-occupancy")).ToHaveTextAsync("700");
                await Expect(p.Page.GetByTestId("map-marker-shl-okubo-jhs")).ToHaveAttributeAsync("data-level", "lvl-full");
                await p.ScreenshotAsync($"shelters{(wall ? "-wall" : "")}-{width}x{height}");
                Assert.Empty(p.Errors);
            }
        }
    }

    private async Task<CityPage> OpenAsync(string path, int width = 1280, int height = 900)
    {
        var p = await city.OpenAsync(path, Role, width, height);
        await Expect(p.Page.GetByTestId("connection-banner")).ToHaveAttributeAsync("data-state", "Connected");
        // A click on the prerendered page could be undone when the circuit takes over.
        await Expect(p.Page.GetByTestId("shelters-page")).ToHaveAttributeAsync("data-interactive", "true");
        return p;
    }

    private static async Task WaitForOrderAsync(IPage page, string first, string second) =>
        await Wait.UntilAsync(async () =>
        {
            var ids = await page.Locator("[data-testid='shelters-table'] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.testid)");
            var a = Array.IndexOf(ids, "shelter-" + first);
            var b = Array.IndexOf(ids, "shelter-" + second);
            return a >= 0 && b >= 0 && a < b;
        }, $"{first} to be listed before {second}");

    // The interactive render can replace an element just as it is read (an empty style or text): read until it holds still.
    private static async Task<double> FontSizeAsync(ILocator element)
    {
        var size = 0.0;
        await Wait.UntilAsync(async () => double.TryParse(
            (await element.EvaluateAsync<string>("e => getComputedStyle(e).fontSize")).Replace("px", "", StringComparison.Ordinal),
            NumberStyles.Float, CultureInfo.InvariantCulture, out size) && size > 0, "a computed font size");
        return size;
    }

    private static async Task<int> IntAsync(ILocator element)
    {
        var value = 0;
        await Wait.UntilAsync(async () => int.TryParse(await element.InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value),
            "a whole number");
        return value;
    }

    private static string Int(int value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static DateTimeOffset Now() =>
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToOffset(TimeSpan.FromHours(9));

    private static string Report(DateTimeOffset ts, long seq, int occupancy, bool open = true, bool accepting = true, int? capacity = null) => $$"""
        {"ts":"{{TimestampJsonConverter.ToWire(ts)}}","agent":"shelters-view-test","seq":{{seq}},"open":{{(open ? "true" : "false")}},"occupancy":{{occupancy}},{{(capacity is { } c ? $"\"capacity\":{c}," : "")}}"accepting":{{(accepting ? "true" : "false")}},"source":"tablet"}
        """;
}
