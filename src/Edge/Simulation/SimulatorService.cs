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
        var schedule = new PublishSchedule(_devices, _options.Interval, _options.Seed, clock.Now);
        var max = _options.MaxMessages ?? long.MaxValue;
        _windowStart = _time.GetUtcNow();
        var reportAt = _windowStart + ReportEvery;
        try
        {
            while (_queuedTotal + _queued < max)
            {
                var now = clock.Now;
                schedule.TakeDue(now, due);
                foreach (var device in due)
                {
                    if (_queuedTotal + _queued >= max)
                    {
                        break;
                    }
                    await _outbox.EnqueueAsync(_simulator.Create(device, now, _sequence.Next()), stoppingToken);
                    _queued++;
                }
                due.Clear();

                var realNow = _time.GetUtcNow();
                if (realNow >= reportAt)
                {
                    Report(realNow);
                    reportAt = realNow + ReportEvery;
                }
                var next = schedule.NextDue is { } nextDue ? clock.RealTimeAt(nextDue) : reportAt;
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
