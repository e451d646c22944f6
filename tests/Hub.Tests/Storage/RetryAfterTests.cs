using System.Net;
using System.Net.Http.Headers;
using FacilityHub.Hub.Storage;

namespace FacilityHub.Hub.Tests.Storage;

public sealed class RetryAfterTests
{
    [Fact]
    public void RetryAfter_DeltaSeconds_IsHonoured()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), InfluxClient.RetryAfter(response));
    }

    [Fact]
    public void RetryAfter_HttpDate_IsTimeUntilThen()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(30));
        var wait = InfluxClient.RetryAfter(response);
        Assert.InRange(wait!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public void RetryAfter_Absent_IsNull()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(InfluxClient.RetryAfter(response));
    }
}
