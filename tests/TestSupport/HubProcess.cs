using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Hub.Access;

namespace FacilityHub.TestSupport;

/// <summary>
/// The real hub, started as its own process (<c>dotnet FacilityHub.Hub.dll</c>) against real servers,
/// each test with its own InfluxDB database so tests sharing one influxd do not see each other's points.
/// Each hub has its own users file with a service account, and <see cref="Http"/> signs in as it, so a test
/// reads every endpoint and view unless it is about access (<see cref="AddUserAsync"/>, <see cref="TokenAsync"/>).
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    /// <summary>The service account every test hub has; <see cref="Http"/> and <see cref="LiveListener"/> use it.</summary>
    public const string ServiceUser = "tests";

    private readonly List<string> _args;
    private readonly TempDir _spill;
    private readonly TempDir _access;

    private HubProcess(ServerProcess process, int httpPort, int mqttPort, string database, List<string> args, TempDir spill, TempDir access, string servicePassword)
    {
        _spill = spill;
        _access = access;
        ServicePassword = servicePassword;
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

    /// <summary>Signed in as <see cref="ServiceUser"/> (reads everything) once the hub has started.</summary>
    public HttpClient Http { get; }

    /// <summary>The <see cref="ServiceUser"/> token <see cref="Http"/> carries.</summary>
    public string AccessToken { get; private set; } = "";

    public string ServicePassword { get; }

    /// <summary>The hub's <c>Access:UsersFile</c>; <c>users … --users-file</c> commands change it while the hub runs.</summary>
    public string UsersFile => _access.Combine("users.json");

    /// <summary>Starts the hub with its embedded broker, or subscribed to <paramref name="mosquitto"/> when given.</summary>
    public static async Task<HubProcess> StartAsync(InfluxServer influx, MosquittoServer? mosquitto = null, params string[] extraArgs)
    {
        var httpPort = Ports.GetFree();
        var mqttPort = mosquitto?.Port ?? Ports.GetFree();
        var database = "fh_" + Guid.NewGuid().ToString("N")[..12];
        var spill = new TempDir("spill");
        var access = new TempDir("access");
        var servicePassword = NewPassword();
        AddUser(access.Combine("users.json"), ServiceUser, Roles.Service, servicePassword);
        var args = new List<string>
        {
            "--Access:UsersFile", access.Combine("users.json"),
            "--Access:KeysDirectory", access.Combine("keys"),
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
        var hub = new HubProcess(ServerProcess.StartProject("Hub", args), httpPort, mqttPort, database, args, spill, access, servicePassword);
        await hub.WaitHealthyAsync();
        hub.AccessToken = (await hub.TokenAsync(ServiceUser, servicePassword)).AccessToken;
        hub.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hub.AccessToken);
        return hub;
    }

    /// <summary>Adds (or replaces) a user in the running hub's users file and waits until the hub knows it.</summary>
    public async Task AddUserAsync(string name, string role, string password)
    {
        AddUser(UsersFile, name, role, password);
        // The hub looks at the file at most once a second.
        await Wait.UntilAsync(async () =>
        {
            using var response = await Http.GetAsync($"{HubRoutes.Users}/{name}");
            return response.StatusCode == HttpStatusCode.OK
                && (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.UserInfo))?.Role == role;
        }, $"the hub to know user '{name}'");
    }

    /// <summary>Disables a user in the running hub's users file (as <c>users disable</c> does) and waits until the hub knows it.</summary>
    public async Task DisableUserAsync(string name)
    {
        Hub.Access.UsersFile.Update(UsersFile, users =>
        {
            var index = users.FindIndex(u => u.Name == name);
            users[index] = users[index] with { Disabled = true, ChangedAt = DateTimeOffset.UtcNow };
            Hub.Access.UsersFile.Save(UsersFile, users);
            return users.Count;
        });
        await Wait.UntilAsync(async () =>
        {
            using var response = await Http.GetAsync($"{HubRoutes.Users}/{name}");
            return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.UserInfo))?.Disabled == true;
        }, $"the hub to see user '{name}' disabled");
    }

    /// <summary>Signs in; throws (with the status and body) unless the hub answers 200.</summary>
    public async Task<TokenResponse> TokenAsync(string user, string password)
    {
        using var anonymous = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await anonymous.PostAsJsonAsync(HubRoutes.Token, new TokenRequest(user, password), ContractsJsonContext.Default.TokenRequest);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"{HubRoutes.Token} for '{user}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TokenResponse))!;
    }

    /// <summary>
    /// A new service account (for the dashboard: <c>--Hub:ServiceUser</c>), its password in a file of its own;
    /// returns that file's path.
    /// </summary>
    public async Task<string> CreateServiceAccountAsync(string name)
    {
        var password = NewPassword();
        var file = _access.Combine($"{name}.secret");
        await File.WriteAllTextAsync(file, password);
        await AddUserAsync(name, Roles.Service, password);
        return file;
    }

    private static void AddUser(string usersFile, string name, string role, string password) =>
        Hub.Access.UsersFile.Update(usersFile, users =>
        {
            users.RemoveAll(u => u.Name == name);
            users.Add(new UserEntry(name, name, role, Hub.Access.UsersFile.HashPassword(password), Disabled: false, DateTimeOffset.UtcNow));
            Hub.Access.UsersFile.Save(usersFile, users);
            return users.Count;
        });

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>Stops the hub and starts it again with the same arguments.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>Stops the hub's process; <see cref="StartAgainAsync"/> brings it back with the same arguments.</summary>
    public Task StopAsync() => Process.DisposeAsync().AsTask();

    /// <summary>Starts the hub again with the same arguments (after a stop or a kill) and waits until it is healthy.</summary>
    public async Task StartAgainAsync()
    {
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
                    throw new GiveUpException($"hub exited with {Process.ExitCode}");
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
        _access.Dispose();
    }
}

public sealed record HubStats(
    long Received, long Accepted, long Rejected, long Stored, long WriteRetries, long StorageRefused,
    int QueueDepth, int QueueCapacity, long Spilled, long SpillPending, long Acknowledged, Dictionary<string, long> RejectedByReason, HubThrottling? Throttling = null);

public sealed record HubThrottling(double LimitPerSecond, int Burst, long DelayedMessages, long ThrottledClients, List<HubThrottledClient> Recent);

public sealed record HubThrottledClient(string ClientId, DateTimeOffset Since, DateTimeOffset LastDelayed, long DelayedMessages, double RatePerSecond);
