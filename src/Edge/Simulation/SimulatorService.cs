using FacilityHub.Contracts.Sites;
using FacilityHub.Edge.Publishing;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Simulation;

/// <summary>
/// Publishes every simulated device on its schedule while the broker connection is up. After each
/// (re)connect a fresh schedule starts with a full round, so a dashboard sees every device at once.
/// Per-message logging would drown the log at tens of messages a second; counts are logged each minute.
/// </summary>
internal sealed partial class SimulatorService : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    // Below Mosquitto's default receive maximum of 20 in-flight QoS 1 messages per client.
    private const int MaxInFlight = 10;

    private readonly MqttConnection _connection;
    private readonly DeviceSimulator _simulator;
    private readonly SequenceCounter _sequence;
    private readonly TimeProvider _time;
    private readonly ILogger<SimulatorService> _logger;
    private readonly SimulatorOptions _options;
    private readonly IReadOnlyList<SimulatedDevice> _devices;

    private long _published;
    private long _failed;
    private long _publishedTotal;
    private string? _lastFailure;
    private DateTimeOffset _windowStart;

    public SimulatorService(
        MqttConnection connection,
        DeviceSimulator simulator,
        SequenceCounter sequence,
        SiteRegistry registry,
        IOptions<SimulatorOptions> options,
        TimeProvider time,
        ILogger<SimulatorService> logger)
    {
        _connection = connection;
        _simulator = simulator;
        _sequence = sequence;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _devices = SimulatedDevice.Select(registry, _options.KindSet(), _options.SiteSet());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Simulating(
            _logger,
            _devices.Count(d => d.Kind == DeviceKind.Ap),
            _devices.Count(d => d.Kind == DeviceKind.Shelter),
            _devices.Count(d => d.Kind == DeviceKind.Weather),
            _options.Interval,
            _options.ScenarioKind(),
            CityTime.Local(_simulator.EvacuationStart),
            _options.Seed);

        var due = new List<SimulatedDevice>();
        _windowStart = _time.GetUtcNow();
        var reportAt = _windowStart + ReportEvery;
        try
        {
            while (true)
            {
                await _connection.WaitUntilConnectedAsync(stoppingToken);
                var schedule = new PublishSchedule(_devices, _options.Interval, _options.Seed, _time.GetUtcNow());
                while (_connection.IsConnected)
                {
                    var now = _time.GetUtcNow();
                    schedule.TakeDue(now, due);
                    await PublishAsync(due, now, stoppingToken);
                    due.Clear();

                    if (now >= reportAt)
                    {
                        Report(now);
                        reportAt = now + ReportEvery;
                    }
                    var next = schedule.NextDue is { } nextDue && nextDue < reportAt ? nextDue : reportAt;
                    var wait = next - _time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Report(_time.GetUtcNow());
        }
    }

    private async Task PublishAsync(List<SimulatedDevice> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A small window of concurrent publishes: QoS 1 waits for each PUBACK, and one at a time
        // would make a full round over a slow link take a round-trip per device.
        var inFlight = new Queue<Task<bool>>(MaxInFlight);
        foreach (var device in due)
        {
            if (!_connection.IsConnected)
            {
                // The rest of this round is skipped, not queued: the next round carries fresher values.
                break;
            }
            if (inFlight.Count == MaxInFlight)
            {
                await CompleteAsync(inFlight.Dequeue());
            }
            inFlight.Enqueue(_connection.PublishAsync(_simulator.Create(device, now, _sequence.Next()), cancellationToken));
        }
        while (inFlight.Count > 0)
        {
            await CompleteAsync(inFlight.Dequeue());
        }
    }

    private async Task CompleteAsync(Task<bool> publish)
    {
        try
        {
            if (await publish)
            {
                _published++;
                return;
            }
            _lastFailure = "refused by the broker";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _lastFailure = e.Message;
        }
        _failed++;
    }

    private void Report(DateTimeOffset now)
    {
        var window = TimeSpan.FromSeconds(Math.Round((now - _windowStart).TotalSeconds));
        _windowStart = now;
        _publishedTotal += _published;
        Log.Published(_logger, _published, window, _publishedTotal);
        if (_failed > 0)
        {
            Log.Failed(_logger, _failed, window, _lastFailure);
        }
        _published = 0;
        _failed = 0;
        _lastFailure = null;
    }
}
