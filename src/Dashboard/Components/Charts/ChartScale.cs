using System.Globalization;

namespace FacilityHub.Dashboard.Components.Charts;

/// <summary>
/// A chart's value axis: from <see cref="Min"/> to <see cref="Max"/> in steps of <see cref="Step"/>, a 1, 2 or 5
/// times a power of ten, so tick labels are numbers a reader can interpolate between.
/// </summary>
/// <remarks>
/// The step is the nice number nearest (on a log scale) to span / ticks, as d3's <c>tickIncrement</c> chooses it,
/// rather than the next one up: 0–100 in about 5 ticks gets 0, 20 … 100, not 0, 50 … 150. The padding is the
/// rounding of both ends outward to whole steps, plus a band around a flat series. No extra margin is added:
/// a margin would push a round maximum such as 100 % past its tick and cost a whole step of height.
/// </remarks>
public sealed class ChartScale
{
    // Geometric midpoints between 1, 2, 5 and 10: where the nearest nice factor changes.
    private static readonly double E10 = Math.Sqrt(50), E5 = Math.Sqrt(10), E2 = Math.Sqrt(2);

    private ChartScale(double min, double max, double step, int decimals, IReadOnlyList<double> ticks)
    {
        Min = min;
        Max = max;
        Step = step;
        Decimals = decimals;
        Ticks = ticks;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    /// <summary>Decimal places the step needs: 0 for 20, 1 for 0.5. Tick labels use exactly these.</summary>
    public int Decimals { get; }

    /// <summary>From <see cref="Min"/> to <see cref="Max"/> inclusive, ascending, equally spaced; at least 2.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>
    /// The scale for <paramref name="values"/> (nulls and non-finite values ignored) with about <paramref name="ticks"/>
    /// ticks (at most 2 × ticks + 3). No values: 0 to 1. One value, or all equal: a band of ±10 % around it
    /// (0 to 1 for 0, never below 0 for a positive value), so a flat line is drawn inside the chart, not on its frame.
    /// </summary>
    public static ChartScale For(IEnumerable<double?> values, int ticks = 5)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1);

        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (value is { } v && double.IsFinite(v))
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }
        if (lo > hi)
        {
            return Nice(0, 1, ticks);
        }
        if (lo == hi)
        {
            var band = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            // Counts and rainfall keep their 0 baseline: a flat 0.5 mm is not drawn against negative rain.
            return Nice(lo >= 0 ? Math.Max(0, lo - band) : lo - band, lo < 0 ? Math.Min(0, hi + band) : hi + band, ticks);
        }
        return Nice(lo, hi, ticks);
    }

    /// <summary>The 1, 2 or 5 × 10ⁿ nearest to <paramref name="rough"/> on a log scale (which must be positive).</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            throw new ArgumentOutOfRangeException(nameof(rough), rough, "a step must be positive and finite");
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var error = rough / power;
        var factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
        return factor * power;
    }

    /// <summary>Where <paramref name="value"/> sits: 0 at <see cref="Min"/>, 1 at <see cref="Max"/>.</summary>
    public double Fraction(double value) => (value - Min) / (Max - Min);

    /// <summary>A tick label: invariant digits, as many decimals as the step has.</summary>
    public string Format(double value) => value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static ChartScale Nice(double lo, double hi, int ticks)
    {
        var step = NiceStep((hi - lo) / ticks);
        var decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 15);
        var first = (long)Math.Floor(lo / step);
        var last = (long)Math.Ceiling(hi / step);
        // Division can land a hair inside the data; step outward until the ticks really enclose it.
        if (Math.Round(first * step, decimals) > lo)
        {
            first--;
        }
        if (Math.Round(last * step, decimals) < hi || last == first)
        {
            last++;
        }
        var values = new double[last - first + 1];
        for (var i = 0; i < values.Length; i++)
        {
            // Multiplying, not adding, so 0.1 + 0.1 + 0.1 drift never reaches a label.
            values[i] = Math.Round((first + i) * step, decimals);
        }
        return new ChartScale(values[0], values[^1], step, decimals, values);
    }
}
