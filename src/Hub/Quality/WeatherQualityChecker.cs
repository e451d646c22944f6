using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;

namespace FacilityHub.Hub.Quality;

/// <summary>
/// Quality control of one station's observations, fed in timestamp order. Pure: no clock, no I/O, no
/// locking (the caller serialises calls per station); allocation-free per observation except a verdict
/// that differs from the station's previous one and is neither all ok nor all missing.
/// <list type="bullet">
/// <item><c>missing</c>: the element is absent from the observation.</item>
/// <item><c>out_of_range</c>: outside the element's plausible range.</item>
/// <item><c>jump</c>: changed from the element's previous value by more than its <c>MaxStep</c>, scaled by
/// √(gap / StepInterval) for gaps longer than <c>StepInterval</c> (weather drifts more like a random walk
/// than a straight line, so a linear allowance would make the check toothless after an hour); a shorter
/// gap keeps the full <c>MaxStep</c>, so a station that reports every few seconds is not held to a
/// sliver of it. Not applied across a gap longer than <c>MaxGap</c>.</item>
/// <item><c>stuck</c>: within <c>StuckTolerance</c> of the value that began the current run for longer
/// than <c>StuckAfter</c>, unless the value is one that legitimately stays put (see <see cref="Exempt"/>).</item>
/// </list>
/// An observation older than the newest one seen (a replayed backlog) gets the range and missing checks
/// only and leaves the state alone: judging it against newer values would be meaningless, and letting it
/// in would make the next live value look like a jump back.
/// </summary>
public sealed class WeatherQualityChecker(WeatherQualityRules rules)
{
    private readonly ElementState[] _elements = new ElementState[WeatherElements.Count];
    private DateTimeOffset _newest = DateTimeOffset.MinValue;
    private WeatherQuality _newestVerdict = WeatherQuality.AllMissing;

    /// <summary>Serialises <see cref="Check"/> calls for this station.</summary>
    public Lock Gate { get; } = new();

    public WeatherQuality Check(WeatherObservation o)
    {
        if (o.Ts == _newest)
        {
            // The same observation again (an agent re-sends what the hub has not acknowledged, same ts):
            // the same verdict, so the stored point and the live state do not change under a re-send.
            return _newestVerdict;
        }
        var inOrder = o.Ts > _newest;
        Span<QualityFlag> flags = stackalloc QualityFlag[WeatherElements.Count];
        // A for over the enum's values, not a foreach over WeatherElements.All: no enumerator per observation.
        for (var i = 0; i < WeatherElements.Count; i++)
        {
            var element = (WeatherElement)i;
            flags[i] = o.Value(element) is { } v
                ? inOrder ? CheckInOrder(element, v, o) : rules[element].InRange(v) ? QualityFlag.Ok : QualityFlag.OutOfRange
                : QualityFlag.Missing;
        }
        // A steady station gets the same verdict message after message: reuse it rather than allocate.
        var verdict = Matches(_newestVerdict, flags) ? _newestVerdict : WeatherQuality.From(flags);
        if (inOrder)
        {
            _newest = o.Ts;
            _newestVerdict = verdict;
        }
        return verdict;
    }

    private QualityFlag CheckInOrder(WeatherElement element, double v, WeatherObservation o)
    {
        ref readonly var rule = ref rules[element];
        if (!rule.InRange(v))
        {
            // An implausible value is no reference for the next one: it neither starts a run nor serves as
            // the previous value of a jump, so one bad reading does not also flag the good one after it.
            return QualityFlag.OutOfRange;
        }
        ref var s = ref _elements[(int)element];
        var t = o.Ts;
        var flag = QualityFlag.Ok;
        var continuous = s.Seen && t - s.SeenAt <= rules.MaxGap;
        if (continuous && rule.MaxStep is { } step && Math.Abs(v - s.Value) > step * Scale(t - s.SeenAt))
        {
            flag = QualityFlag.Jump;
        }
        if (Exempt(element, v, o))
        {
            s.InRun = false;
        }
        else if (!s.InRun || !continuous || Math.Abs(v - s.RunValue) > rules.StuckTolerance)
        {
            s.InRun = true;
            s.RunValue = v;
            s.RunStart = t;
        }
        else if (flag == QualityFlag.Ok && rule.StuckAfter is { } after && t - s.RunStart > after)
        {
            flag = QualityFlag.Stuck;
        }
        // A jump still becomes the reference: a genuine shift (a front, a squall) is flagged once, not
        // for ever. The price is that a single spike also flags the good value after it; without seeing
        // the future the two cannot be told apart.
        s.Value = v;
        s.SeenAt = t;
        s.Seen = true;
        return flag;
    }

    private static bool Matches(WeatherQuality verdict, ReadOnlySpan<QualityFlag> flags)
    {
        for (var i = 0; i < flags.Length; i++)
        {
            if (verdict.Of((WeatherElement)i) != flags[i])
            {
                return false;
            }
        }
        return true;
    }

    private double Scale(TimeSpan gap) =>
        gap <= rules.StepInterval ? 1 : Math.Sqrt(gap / rules.StepInterval);

    /// <summary>
    /// Values that may stay unchanged for as long as the weather likes; each ends the run, and the next
    /// value that is not exempt starts a new one, so the time spent at them never counts towards stuck:
    /// calm (wind speed or gust at or below <c>CalmWindMs</c>) can last a whole still night; the wind
    /// direction means nothing in calm air (a vane rests wherever it stopped, and many stations report 0),
    /// so the vane is only judged while the wind blows; saturated air (humidity at or above
    /// <c>SaturatedHumidityPct</c>) holds at 100 % through a day of fog or steady rain; no rain is 0 mm for
    /// weeks. A sensor stuck at exactly these values goes unflagged; that is the price of not crying wolf
    /// every calm night and every dry week.
    /// </summary>
    private bool Exempt(WeatherElement element, double v, WeatherObservation o) => element switch
    {
        WeatherElement.WindSpeedMs or WeatherElement.GustMs => v <= rules.CalmWindMs,
        WeatherElement.WindDirDeg => o.WindSpeedMs is not { } speed || speed <= rules.CalmWindMs,
        WeatherElement.HumidityPct => v >= rules.SaturatedHumidityPct,
        WeatherElement.Rain10mMm or WeatherElement.Rain1hMm or WeatherElement.Rain24hMm => v <= rules.StuckTolerance,
        _ => false,
    };

    /// <summary>What the checker remembers of one element; a struct in an array, so nothing per observation.</summary>
    private struct ElementState
    {
        public bool Seen;
        public double Value;
        public DateTimeOffset SeenAt;

        /// <summary>Whether a stuck run is being timed: not while the value is exempt.</summary>
        public bool InRun;
        public double RunValue;
        public DateTimeOffset RunStart;
    }
}
