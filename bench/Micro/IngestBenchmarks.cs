using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FacilityHub.Bench.Micro;

/// <summary>
/// What the hub does with one message once MQTT has handed it over, on the ladder's generated city (10,000 APs,
/// 1,000 shelters, 200 stations) and its payloads: <see cref="Ingestor.AcceptAsync"/> whole (decode and validate,
/// live state, line protocol, storage queue), its decoding alone, and what a live push serializes per state.
/// Each call takes the next device of its kind, so the tables and caches see the spread they see in the ladder.
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private const string Agent = "bench-0";
    private Ingestor _ingestor = null!;
    private MessageDecoder _decoder = null!;
    private StorageQueue _queue = null!;
    private LatestState _live = null!;
    private (string Topic, byte[] Payload)[] _aps = [];
    private (string Topic, byte[] Payload)[] _shelters = [];
    private (string Topic, byte[] Payload)[] _weather = [];
    private IReadOnlyList<ApState>[] _apStates = [];
    private int _next;
    private readonly JsonHubProtocol _signalR = LiveProtocol();

    [GlobalSetup]
    public void Setup()
    {
        var sample = SiteRegistry.Load(SamplePath());
        var registry = SiteRegistry.Parse(JsonSerializer.Serialize(CityMix.Generate(sample, 10_000, 1_000, 200), ContractsJsonContext.Default.SiteRegistryDocument));
        var ingest = new IngestOptions();
        _decoder = new MessageDecoder(new TopicScheme(), registry, ingest.ToLimits());
        _queue = new StorageQueue(Options.Create(new InfluxOptions()));
        _live = new LatestState(Options.Create(new CrowdingOptions()));
        _ingestor = new Ingestor(_decoder, registry, _live, new WeatherQualityControl(Options.Create(new QualityOptions())),
            _queue, new DeadLetters(NullLogger<DeadLetters>.Instance, TimeProvider.System), new HubMetrics(), TimeProvider.System);
        // Stamped now: the decoder refuses readings older than its window, and a run lasts minutes.
        var head = Fields.Head(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)), Agent);
        var devices = CityMix.Devices(registry);
        (string, byte[])[] Of(DeviceKind kind) => [.. devices.Where(d => d.Kind == kind).Select((d, i) => (d.Topic, Fields.Payload(head, i + 1, d.Rest)))];
        _aps = Of(DeviceKind.Ap);
        _shelters = Of(DeviceKind.Shelter);
        _weather = Of(DeviceKind.Weather);
        foreach (var (topic, payload) in _aps)
        {
            Accept(topic, payload);
        }
        _apStates = [.. _live.Snapshot(DateTimeOffset.UtcNow).Aps.Select(s => (IReadOnlyList<ApState>)[s])];
        if (_apStates.Length != _aps.Length || _queue.Depth != 0)
        {
            throw new InvalidOperationException($"setup: {_apStates.Length} AP states for {_aps.Length} messages, queue depth {_queue.Depth}; a payload was refused");
        }
    }

    [Benchmark(Description = "accept AP message")]
    public bool AcceptAp() => AcceptNext(_aps);

    [Benchmark(Description = "accept shelter message")]
    public bool AcceptShelter() => AcceptNext(_shelters);

    [Benchmark(Description = "accept weather message")]
    public bool AcceptWeather() => AcceptNext(_weather);

    [Benchmark(Description = "decode AP message")]
    public DecodeResult DecodeAp()
    {
        var (topic, payload) = _aps[Next(_aps.Length)];
        return _decoder.Decode(topic, payload, DateTimeOffset.UtcNow);
    }

    [Benchmark(Description = "live push of one AP state (SignalR JSON)")]
    public int LivePushAp()
    {
        var states = _apStates[Next(_apStates.Length)];
        return _signalR.GetMessageBytes(new InvocationMessage(nameof(ILiveClient.ApsChanged), [states])).Length;
    }

    private bool AcceptNext((string Topic, byte[] Payload)[] messages)
    {
        var (topic, payload) = messages[Next(messages.Length)];
        return Accept(topic, payload);
    }

    private bool Accept(string topic, byte[] payload)
    {
        var accepted = _ingestor.AcceptAsync(topic, new ReadOnlySequence<byte>(payload), Agent, CancellationToken.None);
        // The queue has room, so this completed synchronously; the writer's side is taken here instead.
        if (!accepted.IsCompletedSuccessfully || !_queue.TryTake(out _))
        {
            throw new InvalidOperationException("the storage queue did not take the point at once");
        }
        return accepted.Result;
    }

    private int Next(int length) => _next = _next + 1 < length ? _next + 1 : 0;

    private static JsonHubProtocol LiveProtocol()
    {
        var options = new JsonHubProtocolOptions();
        Hub.Setup.LiveJson(options);
        return new JsonHubProtocol(Options.Create(options));
    }

    private static string SamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "config", "sites.hitachi.json");
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException("config/sites.hitachi.json not found above " + AppContext.BaseDirectory);
    }
}
