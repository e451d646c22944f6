using FacilityHub.Dashboard.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class LiveRetryPolicyTests
{
    [Fact]
    public void Delay_FirstAttempts_FollowTheSteps()
    {
        Assert.Equal(
            [0, 1, 2, 5, 5, 5],
            Enumerable.Range(0, 6).Select(a => LiveRetryPolicy.Delay(a).TotalSeconds));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1_000)]
    [InlineData(long.MaxValue)]
    public void NextRetryDelay_AnyNumberOfRetries_NeverGivesUp(long previousRetries)
    {
        var delay = new LiveRetryPolicy().NextRetryDelay(new RetryContext { PreviousRetryCount = previousRetries, ElapsedTime = TimeSpan.FromDays(3) });

        Assert.Equal(TimeSpan.FromSeconds(5), delay);
    }
}
