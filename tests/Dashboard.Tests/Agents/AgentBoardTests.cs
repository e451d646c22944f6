using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Validation;
using FacilityHub.Dashboard.Agents;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Agents;

public sealed class AgentBoardTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    private static AgentState Agent(string id, AgentPresence presence = AgentPresence.Online, long? queued = null, long? evicted = null, DateTimeOffset? ts = null) =>
        new(id, new AgentStatus(ts ?? T0, presence, "1.0.0", queued, queued > 0 ? 12 : null, evicted), ts ?? T0);

    [Fact]
    public void Build_OfflineStaleAndEvicting_FirstThenDeepestOutbox()
    {
        var rows = AgentBoard.Build([
            Agent("a-ok"),
            Agent("b-queued", queued: 40),
            Agent("c-offline", AgentPresence.Offline),
            Agent("d-stale", ts: T0 - StaleAfter),
            Agent("e-evicting", evicted: 3),
        ], T0, StaleAfter);

        Assert.Equal(["c-offline", "d-stale", "e-evicting", "b-queued", "a-ok"], rows.Select(r => r.AgentId));
    }

    [Fact]
    public void Build_AgeFromStatusTs()
    {
        var row = AgentBoard.Build([Agent("a", ts: T0.AddSeconds(-90))], T0, StaleAfter).Single();

        Assert.Equal(TimeSpan.FromSeconds(90), row.Age);
        Assert.False(row.Stale);
        Assert.True(row.Online);
        Assert.Equal("1.0.0", row.Version);
    }
}

public sealed class RejectReasonTextTests
{
    [Fact]
    public void Key_EveryReasonTheHubSends_HasAnExplanationInBothLanguages()
    {
        var text = Localizers.For<AgentsText>();
        foreach (var code in Enum.GetValues<RejectReason>().Select(r => r.Code()))
        {
            var key = RejectReasonText.Key(code);
            Assert.Equal("Reason_" + code, key);
            Assert.False(text[key].ResourceNotFound, key);
            Assert.NotEqual(Localizers.In("en", () => text[key]), Localizers.In("ja-JP", () => text[key]));
        }
    }

    [Theory]
    [InlineData("from_a_newer_hub")]
    [InlineData(null)]
    public void Key_UnknownCode_FallsBackToOther(string? code) => Assert.Equal(RejectReasonText.UnknownKey, RejectReasonText.Key(code));
}
