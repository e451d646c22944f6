using FacilityHub.Contracts.Live;

namespace FacilityHub.Dashboard.Components.Charts;

/// <summary>
/// One line on a <see cref="TimeChart"/>: the legend shows <paramref name="Name"/> and <paramref name="Unit"/>;
/// <paramref name="CssClass"/> picks its colour and dash: chart-s1 … chart-s4 from viz.css, or a page class that sets
/// <c>color</c> (line, dots and legend swatch are drawn in currentColor).
/// </summary>
public sealed record ChartSeries(string Name, string CssClass, IReadOnlyList<HistoryPoint> Points, string Unit);
