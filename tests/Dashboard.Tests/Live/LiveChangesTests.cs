using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class LiveChangesTests
{
    [Fact]
    public void ForView_EveryKnownView_MapsToItsOwnFlag()
    {
        var flags = LiveViews.All.Select(LiveChanges.ForView).ToList();

        Assert.DoesNotContain(LiveChange.None, flags);
        Assert.Equal(flags.Count, flags.Distinct().Count());
        Assert.All(flags, f => Assert.True(LiveChange.All.HasFlag(f)));
    }

    [Fact]
    public void ForView_UnknownView_IsNone()
    {
        Assert.Equal(LiveChange.None, LiveChanges.ForView("alerts"));
    }
}
