using FacilityHub.Contracts.Topics;

namespace FacilityHub.Contracts.Tests;

public sealed class TopicSchemeTests
{
    private readonly TopicScheme _topics = new();

    [Theory]
    [InlineData("fh/v1/ap/civic-center/civic-1f-01", TopicKind.Ap, "civic-center", "civic-1f-01")]
    [InlineData("fh/v1/shelter/shl-miyata-es", TopicKind.Shelter, "shl-miyata-es", null)]
    [InlineData("fh/v1/weather/wx-city-office", TopicKind.Weather, "wx-city-office", null)]
    [InlineData("fh/v1/agent/edge-sim/status", TopicKind.AgentStatus, "edge-sim", null)]
    [InlineData("fh/v1/ack/edge-sim", TopicKind.Ack, "edge-sim", null)]
    public void TryParse_ValidTopic_ReturnsKindAndIds(string topic, TopicKind kind, string id, string? apId)
    {
        Assert.True(_topics.TryParse(topic, out var address, out var problem), problem);
        Assert.Equal(new TopicAddress(kind, id, apId), address);
        Assert.Equal(topic, _topics.Format(address));
    }

    [Theory]
    [InlineData("fh/v1/shelter/+", "wildcard")]
    [InlineData("fh/v1/#", "wildcard")]
    [InlineData("fh/v1/shelter//x", "empty level")]
    [InlineData("fh/v1//shelter/x", "empty level")]
    [InlineData("fh/v1/shelter/", "empty level")]
    [InlineData("fh/v2/shelter/x", "must start with")]
    [InlineData("other/shelter/x", "must start with")]
    [InlineData("fh/v1", "name a kind")]
    [InlineData("fh/v1/parking/x", "unknown topic kind")]
    [InlineData("fh/v1/shelter/x/extra", "levels after the prefix")]
    [InlineData("fh/v1/ap/site-only", "levels after the prefix")]
    [InlineData("fh/v1/agent/edge/state", "end in '/status'")]
    [InlineData("fh/v1/shelter/Shelter-1", "not a valid id")]
    [InlineData("fh/v1/shelter/-leading-dash", "not a valid id")]
    [InlineData("fh/v1/shelter/日立", "not a valid id")]
    public void TryParse_TopicOutsideScheme_SaysWhy(string topic, string expected)
    {
        Assert.False(_topics.TryParse(topic, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_IdOf64Characters_IsRejected()
    {
        var id = new string('a', 64);
        Assert.False(_topics.TryParse($"fh/v1/shelter/{id}", out _, out _));
        Assert.True(_topics.TryParse($"fh/v1/shelter/{id[..63]}", out _, out _));
    }

    [Fact]
    public void Prefix_Configured_IsUsedForParseAndFormat()
    {
        var topics = new TopicScheme("city/hitachi/fh/v1");
        Assert.Equal("city/hitachi/fh/v1/shelter/s1", topics.Shelter("s1"));
        Assert.True(topics.TryParse("city/hitachi/fh/v1/weather/w1", out var a, out _));
        Assert.Equal(TopicKind.Weather, a.Kind);
        Assert.False(topics.TryParse("fh/v1/weather/w1", out _, out _));
        Assert.Equal("city/hitachi/fh/v1/#", topics.AllMessages);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fh//v1")]
    [InlineData("fh/+")]
    [InlineData("$SYS/fh")]
    public void Constructor_InvalidPrefix_Throws(string prefix) =>
        Assert.Throws<ArgumentException>(() => new TopicScheme(prefix));
}
