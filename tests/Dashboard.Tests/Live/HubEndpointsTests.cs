using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class HubEndpointsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/api/latest")]
    [InlineData("http://127.0.0.1:5080/", "http://127.0.0.1:5080/api/latest")]
    [InlineData("https://hub.example.jp/facility", "https://hub.example.jp/facility/api/latest")]
    [InlineData("https://hub.example.jp/facility/", "https://hub.example.jp/facility/api/latest")]
    public void Resolve_BaseWithOrWithoutPrefix_KeepsThePrefix(string hub, string expected)
    {
        Assert.Equal(new Uri(expected), HubEndpoints.Resolve(new Uri(hub), HubRoutes.Latest));
    }

    [Fact]
    public void Resolve_LiveHub_PointsAtTheHubRoute()
    {
        Assert.Equal("/hubs/live", HubEndpoints.Resolve(new Uri("http://127.0.0.1:5080"), HubRoutes.LiveHub).AbsolutePath);
    }
}
