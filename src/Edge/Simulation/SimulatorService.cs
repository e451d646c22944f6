using FacilityHub.Contracts.Sites;
using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Publishing;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Simulation;

/// <summary>
/// Produces every simulated device's message on its schedule and hands it to the outbox, online or not:
/// the outbox holds what the broker or the hub cannot take yet, as a real device's agent would. The
/// schedule runs on a <see cref="SimulatedClock"/>, so a test can replay hours of readings in minutes.
/// Per-message logging would drown the log at tens of messages a second; counts are logged each minute.
/// </summary>
internal sealed partial class SimulatorService : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    private readonly OutboxWriter _outbox;
    private readonly DeviceSimulator _simulator;
    private readonly SequenceCounter _sequence;
    private readonly TimeProvider _time;
    private readonly ILogger<SimulatorService> _logger;
    private readonly SimulatorOptions _options;
    private readonly IReadOnlyList<SimulatedDevice> _devices;

    private long _queued;
    private long _queuedTotal;
    private DateTimeOffset _windowStart;

    public SimulatorService(
        OutboxWriter outbox,
        DeviceSimulator simulator,
        SequenceCounter sequence,
        SiteRegistry registry,
        IOptions<SimulatorOptions> options,
        TimeProvider time,
        ILogger<SimulatorService> logger)
    {
        _outbox = outbox;
        _simulator = simulator;
        _sequence = sequence;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _devices = SimulatedDevice.Select(registry, _options.KindSet(), _options.SiteSet());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = new SimulatedClock(_time, _options.StartAt, _options.Speed);
        Log.Simulating(
            _logger,
            _devices.Count(d => d.Kind == DeviceKind.Ap),
            _devices.Count(d => d.Kind == DeviceKind.Shelter),
            _devices.Count(d => d.Kind == DeviceKind.Weather),
            _options.Interval,
            _options.ScenarioKind(),
            CityTime.Local(_simulator.EvacuationStart),
            _options.Seed);
        if (!clock.CaughtUp)
        {
            Log.Replaying(_logger, CityTime.Local(clock.Now), _options.Speed);
        }

        var due = new List<SimulatedDevice>();
        // The first round is at the clock's start, so a replay's first readings carry Simulator:StartAt.
        var schedule = new PublishSchedule(_devices, _options.Interval, _options.Seed, clock.Start);
        var max = _options.MaxMessages ?? long.MaxValue;
        // While replaying the past, every slot is produced at its own time, however far the loop falls
        // behind the simulated clock (the outbox is slower than 1800× real time): a replay of two hours
        // must hold two hours of readings. Once it has reached real time, a loop that falls behind skips
        // the slots it missed rather than bursting, as a live device would.
        var replaying = !clock.CaughtUp;
        _windowStart = _time.GetUtcNow();
        var reportAt = _windowStart + ReportEvery;
        try
        {
            while (true)
            {
                var now = clock.Now;
                var nextDue = schedule.NextDue;
                if (replaying && clock.CaughtUp && (nextDue is null || nextDue >= now))
                {
                    replaying = false;
                }
                var at = replaying && nextDue < now ? nextDue.Value : now;
                schedule.TakeDue(at, due);
                foreach (var device in due)
                {
                    if (_queuedTotal + _queued >= max)
                    {
                        break;
                    }
                    await _outbox.EnqueueAsync(_simulator.Create(device, at, _sequence.Next()), stoppingToken);
                    _queued++;
                }
                due.Clear();
                if (_queuedTotal + _queued >= max)
                {
                    break;
                }

                var realNow = _time.GetUtcNow();
                if (realNow >= reportAt)
                {
                    Report(realNow);
                    reportAt = realNow + ReportEvery;
                }
                var next = schedule.NextDue is { } upcoming ? clock.RealTimeAt(upcoming) : reportAt;
                var wait = (next < reportAt ? next : reportAt) - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stoppingToken);
                }
            }
            Report(_time.GetUtcNow());
            Log.Finished(_logger, _queuedTotal);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Report(_time.GetUtcNow());
        }
    }

    private void Report(DateTimeOffset now)
    {
        var window = TimeSpan.FromSeconds(Math.Round((now - _windowStart).TotalSeconds));
        _windowStart = now;
        _queuedTotal += _queued;
        Log.Queued(_logger, _queued, window, _queuedTotal);
        _queued = 0;
    }
}
