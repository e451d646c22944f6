using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Live;

/// <summary>
/// The dashboard's single connection to the hub, shared by every browser circuit: the latest state of each
/// device, the site registry, and the connection state. Components subscribe to <see cref="Changed"/>.
/// </summary>
/// <remarks>
/// The hub's live stream only carries what changed, so after every (re)connect the feed joins all views
/// and then replaces its state with the hub's <c>/api/latest</c> snapshot; whatever happened while the
/// link was down is thereby caught up. <see cref="ExecuteAsync"/> is the one loop that owns the
/// connection: the connection's events only post to <see cref="_linkEvents"/>.
/// </remarks>
public sealed partial class LiveFeed : BackgroundService
{
    public const string HttpClientName = "hub";

    private readonly HubConnection _connection;
    private readonly HubToken _token;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveFeed> _logger;
    private readonly Uri _latestUri;
    private readonly Uri _sitesUri;

    // Written by hub handlers (receive loop) and the sync loop, read by every circuit.
    private readonly LiveState _state = new();

    // Written by the connection's Reconnected/Closed handlers, read only by ExecuteAsync.
    private readonly Channel<LinkEvent> _linkEvents =
        Channel.CreateUnbounded<LinkEvent>(new UnboundedChannelOptions { SingleReader = true });

    // Written by the sync loop, read by every circuit.
    private volatile SiteRegistry? _registry;
    private volatile StrongBox<DateTimeOffset>? _snapshotAt;

    // Written by SetState (connection handlers and the start loop), read by every circuit.
    private int _connectionState = (int)LiveConnectionState.Connecting;
    private volatile StrongBox<DateTimeOffset>? _reconnectedAt;
    private bool _hadOutage;
    private readonly Lock _stateGate = new();

    // Set by StopAsync: the connection closing from then on is our doing, not news.
    private volatile bool _stopping;

    // The token last given to the connection; dropped from HubToken when a (re)connect with it was refused.
    private volatile string? _connectionToken;

    public LiveFeed(
        IOptions<HubOptions> options,
        HubToken token,
        IHttpClientFactory httpClientFactory,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _token = token;
        _httpClientFactory = httpClientFactory;
        _time = time;
        _logger = loggerFactory.CreateLogger<LiveFeed>();

        var hub = options.Value.BaseUri;
        HubUri = HubEndpoints.Resolve(hub, HubRoutes.LiveHub);
        _latestUri = HubEndpoints.Resolve(hub, HubRoutes.Latest);
        _sitesUri = HubEndpoints.Resolve(hub, HubRoutes.Sites);

        var builder = new HubConnectionBuilder()
            // The dashboard's service account: one connection reads every view for every browser (docs/decisions/0007).
            .WithUrl(HubUri, o => o.AccessTokenProvider = ProvideTokenAsync)
            .WithAutomaticReconnect(new LiveRetryPolicy(DropRefusedToken))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default));
        // The client logs through the dashboard's Serilog pipeline rather than its own private factory.
        builder.Services.AddSingleton(loggerFactory);
        _connection = builder.Build();

        _connection.On<IReadOnlyList<ApState>>(nameof(ILiveClient.ApsChanged), aps =>
        {
            _state.ApplyAps(aps);
            Raise(LiveChange.Aps);
        });
        _connection.On<IReadOnlyList<ShelterState>>(nameof(ILiveClient.SheltersChanged), shelters =>
        {
            _state.ApplyShelters(shelters);
            Raise(LiveChange.Shelters);
        });
        _connection.On<IReadOnlyList<WeatherState>>(nameof(ILiveClient.WeatherChanged), stations =>
        {
            _state.ApplyWeather(stations);
            Raise(LiveChange.Weather);
        });
        _connection.On<IReadOnlyList<AgentState>>(nameof(ILiveClient.AgentsChanged), agents =>
        {
            _state.ApplyAgents(agents);
            Raise(LiveChange.Agents);
        });
        _connection.Reconnecting += OnReconnecting;
        _connection.Reconnected += OnReconnected;
        _connection.Closed += OnClosed;
    }

    /// <summary>Raised on a hub thread after state changed; handlers must be quick and must not throw.</summary>
    public event Action<LiveChange>? Changed;

    public Uri HubUri { get; }

    public LiveConnectionState ConnectionState => (LiveConnectionState)Volatile.Read(ref _connectionState);

    /// <summary>When the link last came back after an outage; the banner says 再接続しました for a moment after it.</summary>
    public DateTimeOffset? ReconnectedAt => _reconnectedAt?.Value;

    /// <summary>The hub's time of the last snapshot applied, or null before the first.</summary>
    public DateTimeOffset? SnapshotAt => _snapshotAt?.Value;

    /// <summary>The hub's site registry, or null until it has been loaded once.</summary>
    public SiteRegistry? Registry => _registry;

    public IReadOnlyCollection<ApState> Aps => _state.Aps;

    public IReadOnlyCollection<ShelterState> Shelters => _state.Shelters;

    public IReadOnlyCollection<WeatherState> Weather => _state.Weather;

    public IReadOnlyCollection<AgentState> Agents => _state.Agents;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await ConnectAsync(stoppingToken);
                await SyncAsync(stoppingToken);

                // Follow this connection: re-sync after each automatic reconnect, start over once it is closed for good
                // (the retry policy never gives up, so that is the hub closing it without allowing a reconnect).
                while (await _linkEvents.Reader.ReadAsync(stoppingToken) == LinkEvent.Reconnected)
                {
                    await SyncAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await base.StopAsync(cancellationToken);
        await _connection.DisposeAsync();
    }

    /// <summary>Start the connection, retrying until the hub is there: the dashboard may well start first.</summary>
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            SetState(LiveConnectionState.Connecting);
            try
            {
                await _connection.StartAsync(cancellationToken);
                // Had it already dropped again, Reconnecting has set the state and must not be overwritten.
                if (_connection.State == HubConnectionState.Connected)
                {
                    SetState(LiveConnectionState.Connected);
                }
                Log.Connected(_logger, HubUri);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                SetState(LiveConnectionState.Disconnected);
                DropRefusedToken(e);
                var delay = LiveRetryPolicy.Delay(attempt);
                // A hub that stays away must not fill the log: the first failure with its exception, then a line a minute.
                if (attempt == 0)
                {
                    Log.ConnectFailed(_logger, HubUri, delay, e);
                }
                else if (attempt % 12 == 0)
                {
                    Log.ConnectStillFailing(_logger, HubUri, attempt + 1, e.Message);
                }
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    /// <summary>Join every view and load the snapshot, then make sure the registry is there; each step retried while the connection is up.</summary>
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        await RetryWhileConnectedAsync(_latestUri, JoinAndLoadSnapshotAsync, cancellationToken);
        if (_registry is null)
        {
            await RetryWhileConnectedAsync(_sitesUri, LoadRegistryAsync, cancellationToken);
        }
    }

    private async Task JoinAndLoadSnapshotAsync(CancellationToken cancellationToken)
    {
        foreach (var view in LiveViews.All)
        {
            await _connection.InvokeAsync(HubRoutes.JoinView, view, cancellationToken);
        }

        // Read before the request: pushes that arrive from here on may be newer than the snapshot.
        var mark = _state.Mark();

        // Names first, so the render after the snapshot is complete; but a registry problem must not hold up live data
        // (SyncAsync retries the registry on its own afterwards).
        try
        {
            await LoadRegistryAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.RegistryDeferred(_logger, _sitesUri, e.Message);
        }

        var snapshot = await _httpClientFactory.CreateClient(HttpClientName)
                .GetFromJsonAsync(_latestUri, ContractsJsonContext.Default.LiveSnapshot, cancellationToken)
            ?? throw new InvalidDataException($"{_latestUri} returned null");
        _state.ApplySnapshot(snapshot, mark);
        _snapshotAt = new StrongBox<DateTimeOffset>(snapshot.At);
        Log.Synced(_logger, snapshot.At, snapshot.Aps?.Count ?? 0, snapshot.Shelters?.Count ?? 0, snapshot.Weather?.Count ?? 0, snapshot.Agents?.Count ?? 0);
        Raise(LiveChange.All);
    }

    private async Task LoadRegistryAsync(CancellationToken cancellationToken)
    {
        var json = await _httpClientFactory.CreateClient(HttpClientName).GetStringAsync(_sitesUri, cancellationToken);
        var registry = SiteRegistry.Parse(json, _sitesUri.ToString());
        _registry = registry;
        Log.RegistryLoaded(_logger, _sitesUri, registry.Sites.Count, registry.AccessPoints.Count);
        Raise(LiveChange.Registry);
    }

    private async Task RetryWhileConnectedAsync(Uri what, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        for (var attempt = 0; _connection.State == HubConnectionState.Connected; attempt++)
        {
            try
            {
                await step(cancellationToken);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = LiveRetryPolicy.Delay(attempt);
                if (attempt == 0)
                {
                    Log.LoadFailed(_logger, what, delay, e);
                }
                else if (attempt % 12 == 0)
                {
                    Log.LoadStillFailing(_logger, what, attempt + 1, e.Message);
                }
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    private async Task<string?> ProvideTokenAsync()
    {
        var token = await _token.GetAsync(CancellationToken.None);
        _connectionToken = token;
        return token;
    }

    /// <summary>A (re)connect the hub answered 401: its keys or the account changed, so the next attempt signs in afresh.</summary>
    private void DropRefusedToken(Exception error)
    {
        if (error is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized } && _connectionToken is { } refused)
        {
            _token.Invalidate(refused);
        }
    }

    private Task OnReconnecting(Exception? error)
    {
        Log.Reconnecting(_logger, HubUri, error?.Message);
        SetState(LiveConnectionState.Reconnecting);
        return Task.CompletedTask;
    }

    private Task OnReconnected(string? connectionId)
    {
        Log.Reconnected(_logger, HubUri);
        SetState(LiveConnectionState.Connected);
        _linkEvents.Writer.TryWrite(LinkEvent.Reconnected);
        return Task.CompletedTask;
    }

    private Task OnClosed(Exception? error)
    {
        if (!_stopping)
        {
            Log.Closed(_logger, HubUri, error?.Message);
        }
        SetState(LiveConnectionState.Disconnected);
        _linkEvents.Writer.TryWrite(LinkEvent.Closed);
        return Task.CompletedTask;
    }

    private void SetState(LiveConnectionState state)
    {
        lock (_stateGate)
        {
            if (ConnectionState == state)
            {
                return;
            }
            if (state is LiveConnectionState.Reconnecting or LiveConnectionState.Disconnected)
            {
                _hadOutage = true;
            }
            else if (state == LiveConnectionState.Connected && _hadOutage)
            {
                _hadOutage = false;
                _reconnectedAt = new StrongBox<DateTimeOffset>(_time.GetUtcNow());
            }
            Volatile.Write(ref _connectionState, (int)state);
        }
        Raise(LiveChange.Connection);
    }

    private void Raise(LiveChange change)
    {
        if (Changed is not { } handlers)
        {
            return;
        }
        // One faulty subscriber (a circuit being torn down) must not keep the others from hearing about it.
        foreach (var handler in handlers.GetInvocationList().Cast<Action<LiveChange>>())
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                Log.SubscriberFailed(_logger, change, e);
            }
        }
    }

    private enum LinkEvent
    {
        Reconnected,
        Closed,
    }
}
