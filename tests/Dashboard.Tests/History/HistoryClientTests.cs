using System.Net;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.History;
using FacilityHub.Dashboard.Live;
using FacilityHub.Dashboard.Tests.Support;
using FacilityHub.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Tests.History;

/// <summary>HistoryClient against a real HTTP server on loopback that answers as the hub does.</summary>
public sealed class HistoryClientTests
{
    // 10:15:00 +09:00 is 01:15 UTC; a 24-hour chart 600 px wide asks for 3-minute intervals.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 14, 10, TimeSpan.FromHours(9));

    [Fact]
    public void BuildUri_Day_EndsOnTheNextIntervalBoundaryAndEscapesTheOffset()
    {
        var uri = HistoryClient.BuildUri(new Uri("http://hub.local/facility/api/history"), "wx-north", ["temperature_c", "humidity_pct"],
            HistoryRange.Day, 600, "mean", Now);

        Assert.Equal(
            "http://hub.local/facility/api/history?id=wx-north&fields=temperature_c%2Chumidity_pct"
            + "&from=2026-11-22T01%3A15%3A00.000%2B00%3A00&to=2026-11-23T01%3A15%3A00.000%2B00%3A00&interval=3m&agg=mean",
            uri.AbsoluteUri);
    }

    [Fact]
    public void BuildUri_NoFields_LeavesThemToTheHub()
    {
        var uri = HistoryClient.BuildUri(new Uri("http://hub.local/api/history"), "shl-juo-es", [], HistoryRange.Hour, 600, "max", Now);

        Assert.DoesNotContain("fields=", uri.Query, StringComparison.Ordinal);
        Assert.Contains("interval=1m", uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HubAnswers_ReturnsTheSeries()
    {
        var ct = TestContext.Current.CancellationToken;
        string? query = null;
        await using var hub = await FakeHubAsync(context =>
        {
            query = context.Request.QueryString.Value;
            var response = new HistoryResponse("wx-north", "weather", "mean", TimeSpan.FromMinutes(3), Now.AddDays(-1), Now,
                [new HistorySeries("temperature_c", [new HistoryPoint(Now.AddMinutes(-6), 12.5), new HistoryPoint(Now.AddMinutes(-3), null)])]);
            return Results.Json(response, ContractsJsonContext.Default.HistoryResponse);
        });
        var client = Client(hub);

        var history = await client.GetAsync("wx-north", ["temperature_c"], HistoryRange.Day, 600, "mean", ct);

        Assert.Equal(TimeSpan.FromMinutes(3), history.Interval);
        var series = Assert.Single(history.Series);
        Assert.Equal([12.5, null], series.Points.Select(p => p.V));
        Assert.Contains("id=wx-north", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HubRefuses_ThrowsWithItsProblemDetail()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await FakeHubAsync(_ => Results.Problem("unknown id 'nowhere'", statusCode: 400, title: "Bad history request"));
        var client = Client(hub);

        var error = await Assert.ThrowsAsync<HistoryRequestException>(
            () => client.GetAsync("nowhere", [], HistoryRange.Hour, 600, "mean", ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Bad history request", error.Title);
        Assert.Equal("unknown id 'nowhere'", error.Detail);
        Assert.Contains("unknown id 'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HubFailsWithoutProblemDetails_ThrowsWithTheStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await FakeHubAsync(_ => Results.Text("<html>Bad gateway</html>", "text/html", statusCode: 502));
        var client = Client(hub);

        var error = await Assert.ThrowsAsync<HistoryRequestException>(
            () => client.GetAsync("wx-north", [], HistoryRange.Hour, 600, "mean", ct));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Null(error.Detail);
    }

    [Fact]
    public async Task GetAsync_HubDown_ThrowsWithNoStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client(new Uri($"http://127.0.0.1:{Ports.GetFree()}/"));

        var error = await Assert.ThrowsAsync<HistoryRequestException>(
            () => client.GetAsync("wx-north", [], HistoryRange.Hour, 600, "mean", ct));

        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    private static HistoryClient Client(FakeHub hub) => Client(hub.BaseUrl);

    private static HistoryClient Client(Uri hubUrl)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(LiveFeed.HttpClientName);
        var factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new HistoryClient(factory, Options.Create(new HubOptions { Url = hubUrl.ToString() }), new ManualTimeProvider(Now));
    }

    private static async Task<FakeHub> FakeHubAsync(Func<HttpContext, IResult> history)
    {
        var port = Ports.GetFree();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet(HubRoutes.History, history);
        await app.StartAsync();
        return new FakeHub(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    private sealed record FakeHub(WebApplication App, Uri BaseUrl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
