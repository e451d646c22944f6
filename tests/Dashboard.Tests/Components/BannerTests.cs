using FacilityHub.Dashboard.Components.Layout;
using FacilityHub.Dashboard.Live;
using FacilityHub.Dashboard.Tests.Support;

namespace FacilityHub.Dashboard.Tests.Components;

public sealed class BannerTests
{
    [Theory]
    [InlineData(LiveConnectionState.Connecting)]
    [InlineData(LiveConnectionState.Reconnecting)]
    [InlineData(LiveConnectionState.Disconnected)]
    public void Decide_NotConnected_SaysLost(LiveConnectionState state)
    {
        Assert.Equal(BannerMessage.Lost, Banner.Decide(state, null, States.T0));
    }

    [Fact]
    public void Decide_ConnectedNeverLost_SaysNothing()
    {
        Assert.Equal(BannerMessage.None, Banner.Decide(LiveConnectionState.Connected, null, States.T0));
    }

    [Fact]
    public void Decide_JustReconnected_SaysReconnectedThenGoesQuiet()
    {
        var time = new ManualTimeProvider();
        var reconnectedAt = time.GetUtcNow();

        Assert.Equal(BannerMessage.Reconnected, Banner.Decide(LiveConnectionState.Connected, reconnectedAt, time.GetUtcNow()));

        time.Advance(Banner.ReconnectedNoticeFor);
        Assert.Equal(BannerMessage.None, Banner.Decide(LiveConnectionState.Connected, reconnectedAt, time.GetUtcNow()));
    }
}
