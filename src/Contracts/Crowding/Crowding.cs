using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Crowding;

/// <summary>Shelter crowding as Japanese shelter maps show it (PROTOCOL.md "Shelter crowding levels").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CrowdingLevel>))]
public enum CrowdingLevel
{
    [JsonStringEnumMemberName("available")] Available,
    [JsonStringEnumMemberName("somewhat_crowded")] SomewhatCrowded,
    [JsonStringEnumMemberName("crowded")] Crowded,
    [JsonStringEnumMemberName("full")] Full,
    [JsonStringEnumMemberName("closed")] Closed,
}

/// <summary>Boundaries in percent of capacity; a level changes only once the ratio is past a boundary by <see cref="DeadbandPct"/>.</summary>
public sealed record CrowdingThresholds
{
    public double SomewhatCrowdedPct { get; init; } = 30;
    public double CrowdedPct { get; init; } = 60;
    public double FullPct { get; init; } = 80;
    public double DeadbandPct { get; init; } = 2;

    /// <summary>Why these thresholds cannot be used, or null when they can.</summary>
    public string? Problem() =>
        !(SomewhatCrowdedPct > 0 && SomewhatCrowdedPct < CrowdedPct && CrowdedPct < FullPct && FullPct <= 100)
            ? $"crowding thresholds must satisfy 0 < somewhatCrowded ({SomewhatCrowdedPct}) < crowded ({CrowdedPct}) < full ({FullPct}) <= 100"
            : DeadbandPct < 0 || DeadbandPct * 2 >= CrowdedPct - SomewhatCrowdedPct || DeadbandPct * 2 >= FullPct - CrowdedPct
                ? $"crowding deadband {DeadbandPct} must be >= 0 and less than half of every band"
                : null;
}

public static class CrowdingLevels
{
    public static string Code(this CrowdingLevel level) => level switch
    {
        CrowdingLevel.Available => "available",
        CrowdingLevel.SomewhatCrowded => "somewhat_crowded",
        CrowdingLevel.Crowded => "crowded",
        CrowdingLevel.Full => "full",
        CrowdingLevel.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static string LabelJa(this CrowdingLevel level) => level switch
    {
        CrowdingLevel.Available => "空いています",
        CrowdingLevel.SomewhatCrowded => "やや混雑",
        CrowdingLevel.Crowded => "混雑",
        CrowdingLevel.Full => "満",
        CrowdingLevel.Closed => "閉鎖",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static string LabelEn(this CrowdingLevel level) => level switch
    {
        CrowdingLevel.Available => "Available",
        CrowdingLevel.SomewhatCrowded => "Somewhat crowded",
        CrowdingLevel.Crowded => "Crowded",
        CrowdingLevel.Full => "Full",
        CrowdingLevel.Closed => "Closed",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>
    /// The level for a report, given the level shown before (null for a shelter's first report).
    /// Closed and the staff's manual 満 (<paramref name="accepting"/> false) apply at once; ratio changes
    /// move the level only after the ratio is past the boundary by the deadband, so a shelter hovering
    /// at 30 % does not flicker between two levels.
    /// </summary>
    public static CrowdingLevel Classify(CrowdingLevel? previous, bool open, bool accepting, double occupancyPct, CrowdingThresholds t)
    {
        if (!open)
        {
            return CrowdingLevel.Closed;
        }
        if (!accepting)
        {
            return CrowdingLevel.Full;
        }
        var raw = ByRatio(occupancyPct, t);
        if (previous is not { } prev || prev == CrowdingLevel.Closed || raw == prev)
        {
            return raw;
        }
        if (raw > prev)
        {
            // Climb only as far as the ratio clears each boundary by the deadband.
            var climbed = ByRatio(occupancyPct - t.DeadbandPct, t);
            return climbed > prev ? climbed : prev;
        }
        // Descend only to levels whose upper boundary the ratio is below by the deadband.
        var descended = ByRatio(occupancyPct + t.DeadbandPct, t);
        return descended < prev ? descended : prev;
    }

    private static CrowdingLevel ByRatio(double pct, CrowdingThresholds t) =>
        pct >= t.FullPct ? CrowdingLevel.Full
        : pct >= t.CrowdedPct ? CrowdingLevel.Crowded
        : pct >= t.SomewhatCrowdedPct ? CrowdingLevel.SomewhatCrowded
        : CrowdingLevel.Available;
}
