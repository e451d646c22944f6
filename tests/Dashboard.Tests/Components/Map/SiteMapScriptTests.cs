using System.Text.Json;
using FacilityHub.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.Components.Map;

/// <summary>
/// SiteMap.razor.js and the vendored Leaflet in Debian's Chromium, under the dashboard's Content-Security-Policy,
/// driven by a harness page in place of Blazor (the page-level browser tests are the pages' own).
/// </summary>
public sealed class SiteMapScriptTests
{
    // The policy the dashboard will send, with no tile host: nothing may load from anywhere else.
    private const string Csp =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    private const string HarnessHtml = """
        <!DOCTYPE html>
        <html lang="ja"><head><meta charset="utf-8"><link rel="stylesheet" href="/app.css"><link rel="stylesheet" href="/viz.css"></head>
        <body><div id="map" class="site-map" style="height: 400px; width: 600px"></div>
        <script type="module" src="/harness.js"></script></body></html>
        """;

    // Stands in for Blazor: calls the module as SiteMap.razor does, and records what it would receive.
    private const string HarnessJs = """
        import { create } from '/Components/Map/SiteMap.razor.js';
        window.violations = [];
        document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
        window.selected = [];
        const dotNet = { invokeMethodAsync: (method, id) => { window.selected.push(method + ':' + id); return Promise.resolve(); } };
        window.harness = {
            async create(markers) { this.map = await create(document.getElementById('map'), { tileUrl: '', attribution: '' }, dotNet, markers); },
            update(markers) { this.map.update(markers); },
            zoom() { return this.map.map.getZoom(); },
            dispose() { this.map.dispose(); },
        };
        window.harnessReady = true;
        """;

    private static readonly object[] Markers =
    [
        new { id = "shl-juo-es", lat = 36.681, lon = 140.6896, label = "満 92%", cssClass = "lvl-full", title = "十王小学校: 満 (92%)" },
        new { id = "shl-civic", lat = 36.5928, lon = 140.6578, label = "空 12%", cssClass = "lvl-available", title = "シビックセンター: 空き (12%)" },
        new { id = "shl-kuji", lat = 36.5205, lon = 140.6239, label = "閉", cssClass = "lvl-closed", title = "久慈小学校: 閉鎖" },
    ];

    [Fact]
    public async Task SiteMap_UnderCsp_DrawsLabelledMarkersUpdatesInPlaceAndSelects()
    {
        await using var server = await StartAsync();
        await using var browser = await Browser.StartAsync();
        var page = await browser.Chromium.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                problems.Add(m.Text);
            }
        };
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(server.BaseUrl.ToString(), StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add("request left the server: " + r.Url);
            }
        };
        await page.GotoAsync(new Uri(server.BaseUrl, "harness.html").ToString());
        // Polled from here: Playwright's WaitForFunction evaluates a string, which this very CSP forbids.
        await Wait.UntilAsync(() => page.EvaluateAsync<bool>("() => window.harnessReady === true"), "the harness to load", TimeSpan.FromSeconds(10));

        await page.EvaluateAsync("m => window.harness.create(m)", Markers);

        var full = page.GetByTestId("map-marker-shl-juo-es");
        await Expect(full).ToHaveTextAsync("満 92%");
        await Expect(full).ToHaveAttributeAsync("data-level", "lvl-full");
        await Expect(full).ToHaveAttributeAsync("aria-label", "十王小学校: 満 (92%)");
        await Expect(full).ToHaveAttributeAsync("role", "button");
        await Expect(page.GetByTestId("map-marker-shl-kuji")).ToBeVisibleAsync();
        // Fitted to the markers: all three are inside the map's box.
        foreach (var id in new[] { "shl-juo-es", "shl-civic", "shl-kuji" })
        {
            await Expect(page.GetByTestId("map-marker-" + id)).ToBeInViewportAsync();
        }
        // The level's class from app.css colours the marker; viz.css's default must not win over it.
        Assert.Equal("rgb(198, 40, 40)", await full.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "site-map-no-tiles.png") });

        // The user zooms in; then the data changes. The view and the marker elements must survive the update.
        var fitted = await page.EvaluateAsync<double>("() => window.harness.zoom()");
        await page.Locator(".leaflet-control-zoom-in").ClickAsync();
        await Wait.UntilAsync(async () => await page.EvaluateAsync<double>("() => window.harness.zoom()") > fitted, "the map to zoom in", TimeSpan.FromSeconds(10));
        var zoom = await page.EvaluateAsync<double>("() => window.harness.zoom()");
        await full.EvaluateAsync("el => el.__kept = true");
        var updated = new object[]
        {
            new { id = "shl-juo-es", lat = 36.681, lon = 140.6896, label = "混 75%", cssClass = "lvl-crowded", title = "十王小学校: 混雑 (75%)" },
            Markers[1],
            new { id = "shl-new", lat = 36.60, lon = 140.65, label = "空 0%", cssClass = "lvl-available", title = "新しい避難所" },
        };
        await page.EvaluateAsync("m => window.harness.update(m)", updated);

        await Expect(full).ToHaveTextAsync("混 75%");
        await Expect(full).ToHaveAttributeAsync("data-level", "lvl-crowded");
        Assert.DoesNotContain("lvl-full", await full.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.True(await full.EvaluateAsync<bool>("el => el.__kept === true"), "the marker element was replaced");
        Assert.Equal(zoom, await page.EvaluateAsync<double>("() => window.harness.zoom()"));
        await Expect(page.GetByTestId("map-marker-shl-kuji")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("map-marker-shl-new")).ToHaveCountAsync(1);

        await page.GetByTestId("map-marker-shl-civic").ClickAsync();
        await page.GetByTestId("map-marker-shl-juo-es").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Wait.UntilAsync(() => page.EvaluateAsync<bool>("() => window.selected.length >= 2"), "two selections", TimeSpan.FromSeconds(10));
        Assert.Equal(["Select:shl-civic", "Select:shl-juo-es"], await page.EvaluateAsync<string[]>("() => window.selected"));

        await page.EvaluateAsync("() => window.harness.dispose()");
        await Expect(page.Locator(".leaflet-marker-icon")).ToHaveCountAsync(0);

        Assert.Equal(1, await page.Locator("link[href$='leaflet/leaflet.css']").CountAsync());
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.violations"));
        Assert.Empty(problems);
    }

    private static async Task<HarnessServer> StartAsync()
    {
        var dashboard = Path.Combine(RepoPaths.Root, "src", "Dashboard");
        var port = Ports.GetFree();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = Csp;
            return next(context);
        });
        app.MapGet("/harness.html", () => Results.Text(HarnessHtml, "text/html; charset=utf-8"));
        app.MapGet("/harness.js", () => Results.Text(HarnessJs, "text/javascript; charset=utf-8"));
        // Chromium asks for one whatever the page says; a 404 would be a console error.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        // The files exactly as the dashboard serves them: wwwroot, and the component's collocated module.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(dashboard, "wwwroot")) });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(dashboard, "Components")),
            RequestPath = "/Components",
        });
        await app.StartAsync();
        return new HarnessServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    private sealed record HarnessServer(WebApplication App, Uri BaseUrl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
