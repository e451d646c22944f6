namespace FacilityHub.Dashboard.Components;

/// <summary>
/// Runs <c>render</c> at most once per interval however often <see cref="Signal"/> is called: the first signal
/// after a quiet spell renders at once, later ones within the interval are folded into one render at its end.
/// A burst of hub pushes thus becomes a few renders per second per component, not one per push.
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Action _render;
    private readonly ITimer _timer;

    // Guards the three fields below; Signal comes from hub threads, the timer from the thread pool.
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastRender;
    private bool _pending;
    private bool _disposed;

    public RenderThrottle(TimeProvider time, TimeSpan interval, Action render)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _interval = interval;
        _render = render;
        _timer = time.CreateTimer(static self => ((RenderThrottle)self!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Signal()
    {
        lock (_gate)
        {
            if (_disposed || _pending)
            {
                return;
            }
            var now = _time.GetUtcNow();
            var wait = _lastRender is { } last ? last + _interval - now : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                _pending = true;
                _timer.Change(wait, Timeout.InfiniteTimeSpan);
                return;
            }
            _lastRender = now;
        }
        _render();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        _timer.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || !_pending)
            {
                return;
            }
            _pending = false;
            _lastRender = _time.GetUtcNow();
        }
        _render();
    }
}
