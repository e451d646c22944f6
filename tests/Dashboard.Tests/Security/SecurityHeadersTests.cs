using FacilityHub.Dashboard.Security;

namespace FacilityHub.Dashboard.Tests.Security;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org")]
    [InlineData("https://tiles.city.example/{z}/{x}/{y}.png", "https://tiles.city.example")]
    [InlineData("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("tiles/{z}/{x}/{y}.png", null)]
    public void SourceOf_TileTemplate_IsSchemeAndHost(string? url, string? expected) =>
        Assert.Equal(expected, SecurityHeaders.SourceOf(url));

    [Fact]
    public void Policy_NothingConfigured_AllowsOnlyThisSite()
    {
        var policy = SecurityHeaders.ContentSecurityPolicy(null, null);

        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:;", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_TilesAndDirectory_AddsExactlyTheirHosts()
    {
        var policy = SecurityHeaders.ContentSecurityPolicy("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://login.city.example/realms/staff");

        Assert.Contains("img-src 'self' data: https://*.tile.example.org;", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' https://login.city.example;", policy, StringComparison.Ordinal);
    }
}
