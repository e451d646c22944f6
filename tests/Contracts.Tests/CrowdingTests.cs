using FacilityHub.Contracts.Crowding;

namespace FacilityHub.Contracts.Tests;

public sealed class CrowdingTests
{
    private static readonly CrowdingThresholds Defaults = new();

    [Theory]
    [InlineData(0, CrowdingLevel.Available)]
    [InlineData(29.9, CrowdingLevel.Available)]
    [InlineData(30, CrowdingLevel.SomewhatCrowded)]
    [InlineData(59.9, CrowdingLevel.SomewhatCrowded)]
    [InlineData(60, CrowdingLevel.Crowded)]
    [InlineData(79.9, CrowdingLevel.Crowded)]
    [InlineData(80, CrowdingLevel.Full)]
    [InlineData(130, CrowdingLevel.Full)]
    public void Classify_FirstReport_UsesPlainBoundaries(double pct, CrowdingLevel expected) =>
        Assert.Equal(expected, CrowdingLevels.Classify(null, open: true, accepting: true, pct, Defaults));

    [Fact]
    public void Classify_ClosedShelter_IsClosedWhateverTheCount() =>
        Assert.Equal(CrowdingLevel.Closed, CrowdingLevels.Classify(CrowdingLevel.Crowded, open: false, accepting: true, 70, Defaults));

    [Fact]
    public void Classify_NotAccepting_IsFullAtOnce() =>
        Assert.Equal(CrowdingLevel.Full, CrowdingLevels.Classify(CrowdingLevel.Available, open: true, accepting: false, 10, Defaults));

    [Theory]
    [InlineData(30.5, CrowdingLevel.Available)]
    [InlineData(31.9, CrowdingLevel.Available)]
    [InlineData(32, CrowdingLevel.SomewhatCrowded)]
    public void Classify_RisingAcrossBoundary_WaitsForDeadband(double pct, CrowdingLevel expected) =>
        Assert.Equal(expected, CrowdingLevels.Classify(CrowdingLevel.Available, true, true, pct, Defaults));

    [Theory]
    [InlineData(59, CrowdingLevel.Crowded)]
    [InlineData(58.1, CrowdingLevel.Crowded)]
    [InlineData(57.9, CrowdingLevel.SomewhatCrowded)]
    public void Classify_FallingAcrossBoundary_WaitsForDeadband(double pct, CrowdingLevel expected) =>
        Assert.Equal(expected, CrowdingLevels.Classify(CrowdingLevel.Crowded, true, true, pct, Defaults));

    [Fact]
    public void Classify_HoveringAtBoundary_DoesNotFlicker()
    {
        CrowdingLevel? level = null;
        var seen = new List<CrowdingLevel>();
        foreach (var pct in new[] { 29.0, 30.5, 29.5, 31.0, 29.2, 30.9, 29.8 })
        {
            level = CrowdingLevels.Classify(level, true, true, pct, Defaults);
            seen.Add(level.Value);
        }
        Assert.All(seen, l => Assert.Equal(CrowdingLevel.Available, l));
    }

    [Fact]
    public void Classify_JumpTwoLevels_StopsAtLevelClearedByDeadband()
    {
        Assert.Equal(CrowdingLevel.SomewhatCrowded, CrowdingLevels.Classify(CrowdingLevel.Available, true, true, 61, Defaults));
        Assert.Equal(CrowdingLevel.Crowded, CrowdingLevels.Classify(CrowdingLevel.Available, true, true, 62, Defaults));
    }

    [Fact]
    public void Classify_ReopenedShelter_UsesPlainBoundaries() =>
        Assert.Equal(CrowdingLevel.SomewhatCrowded, CrowdingLevels.Classify(CrowdingLevel.Closed, true, true, 31, Defaults));

    [Fact]
    public void Labels_EveryLevel_HasJapaneseAndEnglishText()
    {
        Assert.Equal("空いています", CrowdingLevel.Available.LabelJa());
        Assert.Equal("やや混雑", CrowdingLevel.SomewhatCrowded.LabelJa());
        Assert.Equal("混雑", CrowdingLevel.Crowded.LabelJa());
        Assert.Equal("満", CrowdingLevel.Full.LabelJa());
        Assert.Equal("閉鎖", CrowdingLevel.Closed.LabelJa());
        Assert.All(Enum.GetValues<CrowdingLevel>(), l => Assert.False(string.IsNullOrEmpty(l.LabelEn())));
    }

    [Theory]
    [InlineData(60, 30, 80, 2)]
    [InlineData(30, 60, 101, 2)]
    [InlineData(30, 60, 80, 20)]
    [InlineData(30, 60, 80, -1)]
    public void Problem_InconsistentThresholds_IsReported(double somewhat, double crowded, double full, double deadband) =>
        Assert.NotNull(new CrowdingThresholds { SomewhatCrowdedPct = somewhat, CrowdedPct = crowded, FullPct = full, DeadbandPct = deadband }.Problem());

    [Fact]
    public void Problem_Defaults_IsNone() => Assert.Null(Defaults.Problem());
}
