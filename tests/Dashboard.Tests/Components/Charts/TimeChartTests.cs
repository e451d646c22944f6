using System.Xml.Linq;
using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Components.Charts;
using FacilityHub.Dashboard.Tests.Support;

namespace FacilityHub.Dashboard.Tests.Components.Charts;

/// <summary>TimeChart rendered to HTML by the framework's static renderer, read back as XML.</summary>
public sealed class TimeChartTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset To = From.AddHours(1);
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static List<HistoryPoint> Minutes(int count, Func<int, double?> value) =>
        [.. Enumerable.Range(0, count).Select(i => new HistoryPoint(From.AddMinutes(i), value(i)))];

    private static async Task<XElement> RenderAsync(IReadOnlyList<ChartSeries> series, TimeSpan? interval = null, int width = 600, string? title = null)
    {
        var html = await Html.RenderAsync<TimeChart>(new()
        {
            [nameof(TimeChart.Series)] = series,
            [nameof(TimeChart.From)] = From,
            [nameof(TimeChart.To)] = To,
            [nameof(TimeChart.Name)] = "temperature",
            [nameof(TimeChart.Width)] = width,
            [nameof(TimeChart.Height)] = 200,
            [nameof(TimeChart.Interval)] = interval,
            [nameof(TimeChart.Title)] = title,
        });
        // The static renderer writes HTML; this component's output is also well-formed XML, which is easier to query.
        return XElement.Parse(html);
    }

    private static IEnumerable<XElement> All(XElement root, string name) =>
        root.Descendants().Where(e => e.Name.LocalName == name);

    private static XElement Chart(XElement root) => All(root, "svg").Single();

    [Fact]
    public async Task Render_OneFullSeries_DrawsOnePolylineOfEveryPoint()
    {
        var root = await RenderAsync([new ChartSeries("気温", "chart-s1", Minutes(60, i => 10 + i / 10.0), "°C")]);

        var svg = Chart(root);
        Assert.Equal("chart-temperature", (string?)svg.Attribute("data-testid"));
        Assert.Equal("60", (string?)svg.Attribute("data-points"));
        var polyline = Assert.Single(All(root, "polyline"));
        Assert.Equal(60, ((string)polyline.Attribute("points")!).Split(' ').Length);
        Assert.Contains("°C", root.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NullValues_BreakTheLineAndAreNotCounted()
    {
        var points = Minutes(60, i => i is >= 20 and < 25 ? null : i);

        var root = await RenderAsync([new ChartSeries("clients", "chart-s1", points, "")]);

        Assert.Equal(2, All(root, "polyline").Count());
        Assert.Equal("55", (string?)Chart(root).Attribute("data-points"));
    }

    [Fact]
    public async Task Render_MissingIntervalsWithInterval_BreakTheLine()
    {
        var points = Minutes(60, i => i).Where(p => p.T.Minute is < 30 or >= 40).ToList();

        var joined = await RenderAsync([new ChartSeries("clients", "chart-s1", points, "")]);
        var broken = await RenderAsync([new ChartSeries("clients", "chart-s1", points, "")], interval: TimeSpan.FromMinutes(1));

        Assert.Single(All(joined, "polyline"));
        Assert.Equal(2, All(broken, "polyline").Count());
    }

    [Fact]
    public async Task Render_LoneValueBetweenGaps_IsADot()
    {
        var points = Minutes(60, i => i is 10 or >= 50 ? i : null);

        var root = await RenderAsync([new ChartSeries("rain", "chart-s1", points, "mm")]);

        Assert.Single(All(root, "circle"));
        Assert.Single(All(root, "polyline"));
        Assert.Equal("11", (string?)Chart(root).Attribute("data-points"));
    }

    [Fact]
    public async Task Render_TwoSeries_OneGroupAndLegendEntryEach()
    {
        var root = await RenderAsync(
        [
            new ChartSeries("2.4 GHz", "chart-s1", Minutes(60, i => i), "台"),
            new ChartSeries("5 GHz", "chart-s2", Minutes(30, i => 2 * i), "台"),
        ]);

        var groups = All(root, "g").Where(g => ((string?)g.Attribute("class"))?.Contains("chart-series", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["60", "30"], groups.Select(g => (string?)g.Attribute("data-points")));
        Assert.Equal("90", (string?)Chart(root).Attribute("data-points"));
        Assert.Equal(2, All(root, "li").Count());
    }

    [Fact]
    public async Task Render_ManyPoints_DownsamplesButKeepsTheSpike()
    {
        var points = Enumerable.Range(0, 3_600).Select(i => new HistoryPoint(From.AddSeconds(i), i == 1_234 ? 500 : 10)).ToList();

        var root = await RenderAsync([new ChartSeries("gust", "chart-s1", points, "m/s")], width: 300);

        var drawn = int.Parse((string)Chart(root).Attribute("data-points")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(drawn, 2, 2 * 300);
        // The spike sets the axis: a tick at or above 500.
        Assert.Contains(All(root, "text"), t => double.TryParse(t.Value, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 500);
    }

    [Fact]
    public async Task Render_NoData_ShowsTheEmptyTextAndZeroPoints()
    {
        var root = await RenderAsync([new ChartSeries("気温", "chart-s1", [], "°C")]);

        Assert.Equal("0", (string?)Chart(root).Attribute("data-points"));
        Assert.Empty(All(root, "polyline"));
        Assert.Contains(All(root, "text"), t => (string?)t.Attribute("class") == "chart-empty");
    }

    [Fact]
    public async Task Render_Title_IsTheAccessibleNameWithTheSeries()
    {
        var root = await RenderAsync([new ChartSeries("気温", "chart-s1", Minutes(5, i => i), "°C")], title: "日立市役所");

        var svg = Chart(root);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("日立市役所: 気温 (°C)", (string?)svg.Attribute("aria-label"));
        Assert.Equal("日立市役所: 気温 (°C)", All(svg, "title").Single().Value);
    }

    [Fact]
    public async Task Render_TimeAxis_LabelsInJapanTime()
    {
        var root = await RenderAsync([new ChartSeries("気温", "chart-s1", Minutes(60, i => i), "°C")]);

        var labels = All(root, "text").Select(t => t.Value).ToList();
        Assert.Contains("09:30", labels);
        Assert.Contains("10:00", labels);
    }
}
