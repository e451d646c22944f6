using System.Globalization;

namespace FacilityHub.Dashboard.Components.Charts;

/// <summary>
/// A chart's value axis: from <see cref="Min"/> to <see cref="Max"/> in steps of <see cref="Step"/>, a 1, 2 or 5
/// times a power of ten, so tick labels are numbers a reader can interpolate between (Heckbert's "nice numbers").
/// </summary>
public sealed class ChartScale
{
    /// <summary>Room left above and below the data, as a share of its span, so a line never runs along the frame.</summary>
    public const double PadFraction = 0.05;

    private static readonly double[] Mantissas = [1, 2, 5, 10];

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

    /// <summary>From <see cref="Min"/> to <see cref="Max"/> inclusive, ascending; between 2 and the requested maximum.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>
    /// The scale for <paramref name="values"/> (nulls and non-finite values ignored) with at most
    /// <paramref name="maxTicks"/> ticks. No values: 0 to 1. One value, or all equal: a band around it, so a flat line
    /// is drawn mid-chart rather than on the frame. Data that does not cross zero is not padded across it:
    /// counts and rainfall keep their 0 baseline.
    /// </summary>
    public static ChartScale For(IEnumerable<double?> values, int maxTicks = 6)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTicks, 2);

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
            return Nice(0, 1, maxTicks);
        }
        var pad = lo == hi ? (lo == 0 ? 1 : Math.Abs(lo) * 0.1) : (hi - lo) * PadFraction;
        var paddedLo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
        var paddedHi = hi <= 0 && hi + pad > 0 ? 0 : hi + pad;
        return Nice(paddedLo, paddedHi, maxTicks);
    }

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ that is at least <paramref name="rough"/> (which must be positive).</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            throw new ArgumentOutOfRangeException(nameof(rough), rough, "a step must be positive and finite");
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in Mantissas)
        {
            // Tolerance: a rough step a hair above a nice number (rounding noise, 0.2000000000000001) still gets that number.
            if (m * power >= rough * (1 - 1e-12))
            {
                return m * power;
            }
        }
        return 10 * power;
    }

    /// <summary>Where <paramref name="value"/> sits: 0 at <see cref="Min"/>, 1 at <see cref="Max"/>.</summary>
    public double Fraction(double value) => (value - Min) / (Max - Min);

    /// <summary>A tick label: invariant digits, as many decimals as the step has.</summary>
    public string Format(double value) => value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static ChartScale Nice(double lo, double hi, int maxTicks)
    {
        var step = NiceStep((hi - lo) / (maxTicks - 1));
        while (true)
        {
            var decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 15);
            var first = (long)Math.Floor(lo / step);
            var last = (long)Math.Ceiling(hi / step);
            // Division can land a hair inside the data; step outward until the ticks really enclose it.
            if (Math.Round(first * step, decimals) > lo)
            {
                first--;
            }
            if (Math.Round(last * step, decimals) < hi)
            {
                last++;
            }
            if (last - first + 1 <= maxTicks)
            {
                var ticks = new double[last - first + 1];
                for (var i = 0; i < ticks.Length; i++)
                {
                    // Multiplying, not adding, so 0.1 + 0.1 + 0.1 drift never reaches a label.
                    ticks[i] = Math.Round((first + i) * step, decimals);
                }
                return new ChartScale(ticks[0], ticks[^1], step, decimals, ticks);
            }
            step = NiceStep(step * 1.5);
        }
    }
}
