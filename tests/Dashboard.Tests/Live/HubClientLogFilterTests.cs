using FacilityHub.Dashboard.Live;
using Serilog.Events;
using Serilog.Parsing;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class HubClientLogFilterTests
{
    [Theory]
    [InlineData("ServerDisconnectedWithError")]
    [InlineData("ReconnectingWithError")]
    public void IsDroppedConnection_HubConnectionDisconnectError_IsDropped(string eventName)
    {
        Assert.True(HubClientLogFilter.IsDroppedConnection(Event(LogEventLevel.Error, "Microsoft.AspNetCore.SignalR.Client.HubConnection", eventName)));
    }

    [Theory]
    [InlineData(LogEventLevel.Error, "Microsoft.AspNetCore.SignalR.Client.HubConnection", "ArgumentBindingFailure")]
    [InlineData(LogEventLevel.Error, "FacilityHub.Dashboard.Live.LiveFeed", "ServerDisconnectedWithError")]
    [InlineData(LogEventLevel.Fatal, "Microsoft.AspNetCore.SignalR.Client.HubConnection", "ServerDisconnectedWithError")]
    public void IsDroppedConnection_AnyOtherEvent_IsKept(LogEventLevel level, string source, string eventName)
    {
        Assert.False(HubClientLogFilter.IsDroppedConnection(Event(level, source, eventName)));
    }

    private static LogEvent Event(LogEventLevel level, string source, string eventName) => new(
        DateTimeOffset.UnixEpoch,
        level,
        null,
        new MessageTemplateParser().Parse("The server connection was terminated with an error."),
        [
            new LogEventProperty("SourceContext", new ScalarValue(source)),
            new LogEventProperty("EventId", new StructureValue([
                new LogEventProperty("Id", new ScalarValue(50)),
                new LogEventProperty("Name", new ScalarValue(eventName)),
            ])),
        ]);
}
