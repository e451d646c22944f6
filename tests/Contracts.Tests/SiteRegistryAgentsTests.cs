using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;

namespace FacilityHub.Contracts.Tests;

public sealed class SiteRegistryAgentsTests
{
    private static readonly SiteRegistry Registry = TestRegistry.Load();

    [Fact]
    public void TryGetAgent_ListedAgent_ReturnsItsSites()
    {
        Assert.True(Registry.TryGetAgent("edge-a", out var agent));
        Assert.Equal(["cc-a", "shl-a"], agent.Sites);
        Assert.False(Registry.TryGetAgent("edge-zzz", out _));
    }

    [Fact]
    public void Parse_RegistryWithoutAgents_HasNone()
    {
        var registry = SiteRegistry.Parse(TestRegistry.Json[..TestRegistry.Json.IndexOf(",\n  \"agents\"", StringComparison.Ordinal)] + "\n}");
        Assert.Empty(registry.Agents);
        Assert.False(registry.MayPublish("edge-a", new TopicAddress(TopicKind.AgentStatus, "edge-a")));
    }

    [Theory]
    [InlineData(TopicKind.Ap, "cc-a", "cc-a-ap1")]
    [InlineData(TopicKind.Ap, "cc-a", "an-ap-the-registry-lacks")] // any AP of an assigned site; the decoder refuses unknown ones
    [InlineData(TopicKind.Shelter, "shl-a", null)]
    [InlineData(TopicKind.Ap, "shl-a", "gym-1")] // a shelter gym's APs come with the shelter
    [InlineData(TopicKind.AgentStatus, "edge-a", null)]
    public void MayPublish_OwnStatusAndAssignedSites_Allowed(TopicKind kind, string id, string? apId) =>
        Assert.True(Registry.MayPublish("edge-a", new TopicAddress(kind, id, apId)));

    [Theory]
    [InlineData(TopicKind.Ap, "civic", "civic-1f-01")] // a site assigned to no one
    [InlineData(TopicKind.Weather, "wx-a", null)] // another agent's station
    [InlineData(TopicKind.AgentStatus, "wx-office", null)] // another agent's status
    [InlineData(TopicKind.Ack, "edge-a", null)] // acks are the hub's
    [InlineData(TopicKind.Weather, "shl-a", null)] // an assigned id under the wrong kind
    [InlineData(TopicKind.Shelter, "cc-a", null)]
    public void MayPublish_AnythingElse_Denied(TopicKind kind, string id, string? apId) =>
        Assert.False(Registry.MayPublish("edge-a", new TopicAddress(kind, id, apId)));

    [Fact]
    public void MayPublish_UnknownAgent_Denied() =>
        Assert.False(Registry.MayPublish("edge-zzz", new TopicAddress(TopicKind.AgentStatus, "edge-zzz")));

    [Fact]
    public void GrantsOf_Agent_MatchesMayPublish()
    {
        Assert.Equal(
            [new PublishGrant(TopicKind.Ap, "cc-a"), new PublishGrant(TopicKind.Ap, "shl-a"), new PublishGrant(TopicKind.Shelter, "shl-a")],
            Registry.GrantsOf("edge-a").OrderBy(g => g.Kind).ThenBy(g => g.Id, StringComparer.Ordinal));
        Assert.Equal([new PublishGrant(TopicKind.Weather, "wx-a")], Registry.GrantsOf("wx-office"));
        Assert.Empty(Registry.GrantsOf("edge-zzz"));
    }

    [Theory]
    [InlineData("\"sites\": [\"wx-a\"]", "\"sites\": [\"wx-zzz\"]", "agent 'wx-office': site 'wx-zzz' is not in sites")]
    [InlineData("\"sites\": [\"wx-a\"]", "\"sites\": [\"cc-a-ap1\"]", "agent 'wx-office': site 'cc-a-ap1' is not in sites")] // an AP is not a site
    [InlineData("\"sites\": [\"wx-a\"]", "\"sites\": []", "agent 'wx-office': sites is missing or empty")]
    [InlineData("\"sites\": [\"wx-a\"]", "\"sites\": [\"wx-a\", \"wx-a\"]", "agent 'wx-office': site 'wx-a' is listed twice")]
    [InlineData("{ \"id\": \"wx-office\"", "{ \"id\": \"edge-a\"", "agent 'edge-a': duplicate id")]
    [InlineData("{ \"id\": \"wx-office\"", "{ \"id\": \"WX Office\"", "agent 'WX Office': id must match")]
    public void Parse_BadAgentEntry_OneLineNamingTheAgent(string from, string to, string expected) =>
        SiteRegistryTests.AssertRefused(SiteRegistryTests.Mutate(from, to), expected);
}
