using System.Diagnostics;
using System.Net.Http.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using HdrHistogram;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

internal static class HubSignIn
{
    public static async Task<string> TokenAsync(HttpClient http, string user, string password)
    {
        using var response = await http.PostAsJsonAsync(HubRoutes.Token, new FacilityHub.Contracts.Access.TokenRequest(user, password),
            ContractsJsonContext.Default.TokenRequest);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TokenResponse);
        return token?.AccessToken ?? throw new InvalidDataException($"{HubRoutes.Token} answered no token");
    }
}

/// <summary>
/// The bench signed in to the hub as the service account bench/compare.sh and bench/run.sh make (users file of the run,
/// role <c>service</c>: every live view and /api/stats), as the dashboard's own connection is.
/// </summary>
internal sealed class HubSession : IDisposable
{
    private HubSession(Uri hub, HttpClient http, string token) => (Hub, Http, Token) = (hub, http, token);

    public Uri Hub { get; }

    public HttpClient Http { get; }

    public string Token { get; }

    public static async Task<HubSession> SignInAsync(Uri hub, string user, string passwordFile)
    {
        var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var token = await HubSignIn.TokenAsync(http, user, (await File.ReadAllTextAsync(passwordFile)).Trim());
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return new HubSession(hub, http, token);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until the hub's storage queue and spill are empty (after a ladder's failing step it may still be draining
    /// for a while), polled every 200 ms for at most <paramref name="max"/>; false when it was not.
    /// </summary>
    public async Task<bool> WaitQuietAsync(TimeSpan max)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = await Http.GetFromJsonAsync<QueueStats>(HubRoutes.Stats.TrimStart('/'));
            if (stats is { QueueDepth: 0, SpillPending: 0 })
            {
                return true;
            }
            if (clock.Elapsed > max)
            {
                return false;
            }
            await Task.Delay(200);
        }
    }

    public void Dispose() => Http.Dispose();

    private sealed record QueueStats(int QueueDepth, long SpillPending);
}

/// <summary>
/// Publish → live receive times of the messages sent inside a window, over one or many live clients, in one
/// HdrHistogram in microseconds. A received state is matched by its sample's <c>agent</c> and <c>seq</c> to the send
/// time in that agent's <see cref="SendLog"/>; states from before the window, or conflated away by the hub (a device
/// that changed twice between pushes is sent once), are simply not matched.
/// </summary>
internal sealed class DeliveryRecorder(IReadOnlyDictionary<string, SendLog> logs)
{
    // A minute: anything later is recorded as a minute (and would fail every goal anyway).
    private const long HighestMicros = 60_000_000;
    private readonly Lock _gate = new();
    private readonly LongHistogram _histogram = new(HighestMicros, 3);
    private long _matched;
    private long _duplicates;
    private long _lastPushTicks = Stopwatch.GetTimestamp();

    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>The same sample received twice by one client: the hub pushed a state again that had not changed.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>One client's matching: its own record of what it has seen, so each client counts each sample once.</summary>
    public ClientMatcher ForClient() => new(this, logs);

    public void Record(long nowTicks, List<long> sentTicks, int duplicates)
    {
        Interlocked.Exchange(ref _lastPushTicks, nowTicks);
        if (sentTicks.Count == 0 && duplicates == 0)
        {
            return;
        }
        lock (_gate)
        {
            foreach (var sent in sentTicks)
            {
                _histogram.RecordValue(Math.Clamp((nowTicks - sent) * 1_000_000 / Stopwatch.Frequency, 0, HighestMicros));
            }
            _matched += sentTicks.Count;
            _duplicates += duplicates;
        }
    }

    /// <summary>
    /// Waits until no push has arrived for <paramref name="quiet"/> (the last samples are in), at most <paramref name="max"/>,
    /// checked every 100 ms: the absence of pushes has no event to wait on.
    /// </summary>
    public async Task WaitQuietAsync(TimeSpan quiet, TimeSpan max)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < max && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastPushTicks)) < quiet)
        {
            await Task.Delay(100);
        }
    }

    public LatencyFigures Figures()
    {
        lock (_gate)
        {
            return _histogram.TotalCount == 0
                ? new LatencyFigures(_matched, _duplicates, 0, 0, 0)
                : new LatencyFigures(_matched, _duplicates, _histogram.GetValueAtPercentile(50), _histogram.GetValueAtPercentile(99), _histogram.GetMaxValue());
        }
    }
}

/// <summary>Matched samples, duplicates, and p50 / p99 / max publish → receive in microseconds (0 when nothing matched).</summary>
internal sealed record LatencyFigures(long Matched, long Duplicates, long P50Us, long P99Us, long MaxUs)
{
    public string Describe() => $"matched {Matched:N0}, p50 {P50Us:N0} µs, p99 {P99Us:N0} µs, max {MaxUs:N0} µs" + (Duplicates > 0 ? $", {Duplicates:N0} pushed twice" : "");
}

/// <summary>One client's side of a <see cref="DeliveryRecorder"/>; called by that client's handlers, which SignalR runs one at a time.</summary>
internal sealed class ClientMatcher(DeliveryRecorder recorder, IReadOnlyDictionary<string, SendLog> logs)
{
    private readonly HashSet<(string Agent, long Seq)> _seen = [];
    private readonly List<long> _sent = [];
    private int _duplicates;

    public void Receive(string? agent, long? seq)
    {
        if (agent is null || seq is not { } s || !logs.TryGetValue(agent, out var log) || !log.TryGet(s, out var ticks))
        {
            return;
        }
        if (_seen.Add((agent, s)))
        {
            _sent.Add(ticks);
        }
        else
        {
            _duplicates++;
        }
    }

    /// <summary>Ends one push received at <paramref name="nowTicks"/>.</summary>
    public void Flush(long nowTicks)
    {
        recorder.Record(nowTicks, _sent, _duplicates);
        _sent.Clear();
        _duplicates = 0;
    }
}

/// <summary>
/// A live client as the dashboard holds one: a SignalR HubConnection to the hub's live hub with the service account's
/// token, joined to views. What it receives is matched by the current <see cref="DeliveryRecorder"/>, if any.
/// </summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private volatile ClientMatcher? _matcher;

    private LiveClient(HubConnection connection) => _connection = connection;

    public static async Task<LiveClient> ConnectAsync(Uri hub, string token, IReadOnlyList<string> views, CancellationToken ct)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(hub, HubRoutes.LiveHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(j => j.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default))
            .Build();
        var client = new LiveClient(connection);
        // The receive time is taken first, before the states are walked; one push is one batch of states.
        void Match<T>(string method, Func<T, (string? Agent, long? Seq)> identity) =>
            connection.On<IReadOnlyList<T>>(method, states =>
            {
                var now = Stopwatch.GetTimestamp();
                if (client._matcher is { } m)
                {
                    foreach (var state in states)
                    {
                        var (agent, seq) = identity(state);
                        m.Receive(agent, seq);
                    }
                    m.Flush(now);
                }
            });
        Match<ApState>(nameof(ILiveClient.ApsChanged), ap => (ap.Sample.Agent, ap.Sample.Seq));
        Match<ShelterState>(nameof(ILiveClient.SheltersChanged), shelter => (shelter.Report.Agent, shelter.Report.Seq));
        Match<WeatherState>(nameof(ILiveClient.WeatherChanged), station => (station.Observation.Agent, station.Observation.Seq));
        // Agent states carry no sample seq; handled so that the dashboard-like client reads every view it joins.
        connection.On<IReadOnlyList<AgentState>>(nameof(ILiveClient.AgentsChanged), _ => client._matcher?.Flush(Stopwatch.GetTimestamp()));
        try
        {
            await connection.StartAsync(ct);
            foreach (var view in views)
            {
                await connection.InvokeAsync(HubRoutes.JoinView, view, ct);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return client;
    }

    /// <summary>Matches what arrives from now on with <paramref name="recorder"/>; null stops matching.</summary>
    public void Record(DeliveryRecorder? recorder) => _matcher = recorder?.ForClient();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
