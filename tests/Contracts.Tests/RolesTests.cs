using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;

namespace FacilityHub.Contracts.Tests;

public sealed class RolesTests
{
    [Theory]
    [InlineData(Roles.It, new[] { LiveViews.Aps, LiveViews.Agents })]
    [InlineData(Roles.Disaster, new[] { LiveViews.Shelters })]
    [InlineData(Roles.Weather, new[] { LiveViews.Weather })]
    [InlineData(Roles.Admin, new[] { LiveViews.Aps, LiveViews.Shelters, LiveViews.Weather, LiveViews.Agents })]
    [InlineData(Roles.Service, new[] { LiveViews.Aps, LiveViews.Shelters, LiveViews.Weather, LiveViews.Agents })]
    public void ViewsFor_EachRole_ExactlyItsViews(string role, string[] views)
    {
        Assert.Equal(views.Order(), Roles.ViewsFor(role).Order());
        foreach (var view in LiveViews.All)
        {
            Assert.Equal(views.Contains(view), Roles.MaySee(role, view));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("IT")]
    [InlineData("root")]
    public void UnknownRole_SeesNothing(string role)
    {
        Assert.False(Roles.IsKnown(role));
        Assert.Empty(Roles.ViewsFor(role));
        Assert.DoesNotContain(LiveViews.All, v => Roles.MaySee(role, v));
    }

    [Fact]
    public void All_AreKnown_AndAllowedForNamesWhoMaySee()
    {
        Assert.All(Roles.All, r => Assert.True(Roles.IsKnown(r)));
        Assert.False(Roles.IsKnown(null));
        Assert.Equal([Roles.Disaster, Roles.Admin, Roles.Service], Roles.AllowedFor(LiveViews.Shelters));
    }
}
