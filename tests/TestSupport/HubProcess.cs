using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;

namespace FacilityHub.TestSupport;

/// <summary>
/// The real hub, started as its own process (<c>dotnet FacilityHub.Hub.dll</c>) against real servers,
/// each test with its own InfluxDB database so tests sharing one influxd do not see each other's points.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly List<string> _args;
    private readonly TempDir _spill;

    private HubProcess(ServerProcess process, int httpPort, int mqttPort, string database, List<string> args, TempDir spill)
    {
        _spill = spill;
        Process = process;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        Database = database;
        _args = args;
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServerProcess Process { get; private set; }

    public int HttpPort { get; }

    /// <summary>Where agents publish: the embedded broker's port, or the external broker's.</summary>
    public int MqttPort { get; }

    public string Database { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{HttpPort}/");

    public HttpClient Http { get; }

    /// <summary>Starts the hub with its embedded broker, or subscribed to <paramref name="mosquitto"/> when given.</summary>
    public static async Task<HubProcess> StartAsync(InfluxServer influx, MosquittoServer? mosquitto = null, params string[] extraArgs)
    {
        var httpPort = Ports.GetFree();
        var mqttPort = mosquitto?.Port ?? Ports.GetFree();
        var database = "fh_" + Guid.NewGuid().ToString("N")[..12];
        var spill = new TempDir("spill");
        var args = new List<string>
        {
            "--Influx:SpillDirectory", spill.Path,
            "--urls", $"http://127.0.0.1:{httpPort}",
            "--Influx:Url", influx.Url.ToString(),
            "--Influx:Database", database,
            "--Sites:RegistryPath", RepoPaths.SampleRegistry,
            "--Broker:Mode", mosquitto is null ? "Embedded" : "External",
            "--Broker:Port", mqttPort.ToString(CultureInfo.InvariantCulture),
            "--Broker:ClientId", "hub-" + database,
            // Test clients connect without credentials unless a test is about them; such tests pass
            // "--BrokerAuth:AllowAnonymous", "false" among extraArgs, which come later and win.
            "--BrokerAuth:AllowAnonymous", "true",
        };
        args.AddRange(extraArgs);
        var hub = new HubProcess(ServerProcess.StartProject("Hub", args), httpPort, mqttPort, database, args, spill);
        await hub.WaitHealthyAsync();
        return hub;
    }

    /// <summary>Starts the hub again with the same arguments (after a stop or a kill).</summary>
    public async Task RestartAsync()
    {
        await Process.DisposeAsync();
        Process = ServerProcess.StartProject("Hub", _args);
        await WaitHealthyAsync();
    }

    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        try
        {
            await Wait.UntilAsync(async () =>
            {
                if (Process.HasExited)
                {
                    throw new InvalidOperationException($"hub exited with {Process.ExitCode}");
                }
                try
                {
                    using var response = await Http.GetAsync(HubRoutes.Health);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "the hub's /healthz to return 200", timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- hub output ---\n{Process.Output}", e);
        }
    }

    public async Task<HubStats> StatsAsync() =>
        (await Http.GetFromJsonAsync<HubStats>("api/stats"))!;

    public async Task<LiveSnapshot> LatestAsync() =>
        (await Http.GetFromJsonAsync(HubRoutes.Latest, ContractsJsonContext.Default.LiveSnapshot))!;

    /// <summary>The hub's spill directory (kept across restarts of this hub).</summary>
    public string SpillDirectory => _spill.Path;

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        Http.Dispose();
        _spill.Dispose();
    }
}

public sealed record HubStats(
    long Received, long Accepted, long Rejected, long Stored, long WriteRetries, long StorageRefused,
    int QueueDepth, int QueueCapacity, long Spilled, long SpillPending, long Acknowledged, Dictionary<string, long> RejectedByReason, HubThrottling? Throttling = null);

public sealed record HubThrottling(double LimitPerSecond, int Burst, long DelayedMessages, long ThrottledClients, List<HubThrottledClient> Recent);

public sealed record HubThrottledClient(string ClientId, DateTimeOffset Since, DateTimeOffset LastDelayed, long DelayedMessages, double RatePerSecond);
