using FacilityHub.Dashboard.Account;
using FacilityHub.Dashboard.Security;

namespace FacilityHub.Dashboard.Tests.Security;

public sealed class SecurityHeadersTests
{
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
    public void Policy_TilesAndDirectory_AddsExactlyTheirOrigins()
    {
        var directory = new DirectoryOptions { Authority = "https://login.city.example/realms/staff" };

        var policy = SecurityHeaders.ContentSecurityPolicy("https://*.tile.example.org", directory.Origin);

        Assert.Contains("img-src 'self' data: https://*.tile.example.org;", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' https://login.city.example;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryOrigin_Off_IsNull() => Assert.Null(new DirectoryOptions().Origin);
}
