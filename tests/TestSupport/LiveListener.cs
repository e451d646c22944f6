using System.Collections.Concurrent;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FacilityHub.TestSupport;

/// <summary>A SignalR.Client subscriber that joins every live view and keeps what it receives.</summary>
public sealed class LiveListener : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private LiveListener(HubConnection connection) => _connection = connection;

    public ConcurrentQueue<ApState> Aps { get; } = new();
    public ConcurrentQueue<ShelterState> Shelters { get; } = new();
    public ConcurrentQueue<WeatherState> Weather { get; } = new();
    public ConcurrentQueue<AgentState> Agents { get; } = new();

    /// <summary>Joins every view as the hub's service account.</summary>
    public static Task<LiveListener> ConnectAsync(HubProcess hub) => ConnectAsync(hub.BaseUrl, hub.AccessToken, LiveViews.All);

    /// <summary>Joins <paramref name="views"/> with <paramref name="accessToken"/> (a role that may not see one fails here).</summary>
    public static async Task<LiveListener> ConnectAsync(Uri hubBaseUrl, string accessToken, IEnumerable<string> views)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(hubBaseUrl, HubRoutes.LiveHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default))
            .Build();
        var listener = new LiveListener(connection);
        connection.On<IReadOnlyList<ApState>>(nameof(ILiveClient.ApsChanged), list => Add(listener.Aps, list));
        connection.On<IReadOnlyList<ShelterState>>(nameof(ILiveClient.SheltersChanged), list => Add(listener.Shelters, list));
        connection.On<IReadOnlyList<WeatherState>>(nameof(ILiveClient.WeatherChanged), list => Add(listener.Weather, list));
        connection.On<IReadOnlyList<AgentState>>(nameof(ILiveClient.AgentsChanged), list => Add(listener.Agents, list));
        await connection.StartAsync();
        try
        {
            foreach (var view in views)
            {
                await connection.InvokeAsync(HubRoutes.JoinView, view);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return listener;
    }

    public HubConnection Connection => _connection;

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static void Add<T>(ConcurrentQueue<T> queue, IReadOnlyList<T> items)
    {
        foreach (var item in items)
        {
            queue.Enqueue(item);
        }
    }
}
