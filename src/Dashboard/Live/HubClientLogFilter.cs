using Serilog.Events;

namespace FacilityHub.Dashboard.Live;

/// <summary>
/// The SignalR client logs a dropped connection as two errors with stack traces. A hub restart is not an error
/// of the dashboard, and <see cref="LiveFeed"/> already logs it as one warning line with the reason, so those
/// two events are dropped. Every other client error (a payload that does not bind, say) still gets through.
/// </summary>
public static class HubClientLogFilter
{
    private const string HubConnectionCategory = "Microsoft.AspNetCore.SignalR.Client.HubConnection";

    // EventName of the client's LoggerMessage definitions (HubConnection.Log.cs).
    private static readonly HashSet<string> DroppedConnectionEvents = new(StringComparer.Ordinal)
    {
        "ServerDisconnectedWithError",
        "ReconnectingWithError",
    };

    public static bool IsDroppedConnection(LogEvent logEvent) =>
        logEvent is { Level: LogEventLevel.Error }
        && logEvent.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: HubConnectionCategory }
        && logEvent.Properties.TryGetValue("EventId", out var eventId)
        && eventId is StructureValue id
        && id.Properties.Any(p => p is { Name: "Name", Value: ScalarValue { Value: string name } } && DroppedConnectionEvents.Contains(name));
}
