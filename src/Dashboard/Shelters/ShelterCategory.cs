using System.Globalization;
using FacilityHub.Contracts.Crowding;
using FacilityHub.Dashboard.Components;
using FacilityHub.Dashboard.Components.Map;
using FacilityHub.Dashboard.Live;
using Microsoft.Extensions.Localization;

namespace FacilityHub.Dashboard.Shelters;

/// <summary>
/// What a shelter's marker and legend entry show: the four crowding levels and closed from its last report,
/// unless that report is stale (then stale, whatever it said) or there is none yet.
/// </summary>
public enum ShelterCategory
{
    Available,
    SomewhatCrowded,
    Crowded,
    Full,
    Closed,
    Stale,
    NoReport,
}

public static class ShelterCategories
{
    /// <summary>Legend order: the levels from least to most crowded, then the states that are not a level.</summary>
    public static IReadOnlyList<ShelterCategory> All { get; } =
    [
        ShelterCategory.Available, ShelterCategory.SomewhatCrowded, ShelterCategory.Crowded, ShelterCategory.Full,
        ShelterCategory.Closed, ShelterCategory.Stale, ShelterCategory.NoReport,
    ];

    public static ShelterCategory Of(ShelterRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.HasReport || row.Level is not { } level)
        {
            return ShelterCategory.NoReport;
        }
        // Stale before the level: a shelter that went quiet at 空いています may be full by now.
        if (row.Stale)
        {
            return ShelterCategory.Stale;
        }
        return level switch
        {
            CrowdingLevel.Available => ShelterCategory.Available,
            CrowdingLevel.SomewhatCrowded => ShelterCategory.SomewhatCrowded,
            CrowdingLevel.Crowded => ShelterCategory.Crowded,
            CrowdingLevel.Full => ShelterCategory.Full,
            _ => ShelterCategory.Closed,
        };
    }

    /// <summary>Stable, unlocalised: the colour class in app.css (shared with the table's level badges) and the marker's data-level.</summary>
    public static string CssClass(this ShelterCategory category) => category switch
    {
        ShelterCategory.Available => "lvl-available",
        ShelterCategory.SomewhatCrowded => "lvl-somewhat_crowded",
        ShelterCategory.Crowded => "lvl-crowded",
        ShelterCategory.Full => "lvl-full",
        ShelterCategory.Closed => "lvl-closed",
        ShelterCategory.Stale => "lvl-stale",
        ShelterCategory.NoReport => "lvl-none",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    /// <summary>The category's word (満, 報告途絶, 未報告…): crowding words are shared with the other views.</summary>
    public static string Word(this ShelterCategory category, IStringLocalizer<CommonText> common, IStringLocalizer<ShelterText> text)
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(text);
        return category switch
        {
            ShelterCategory.Available => common["Level_available"],
            ShelterCategory.SomewhatCrowded => common["Level_somewhat_crowded"],
            ShelterCategory.Crowded => common["Level_crowded"],
            ShelterCategory.Full => common["Level_full"],
            ShelterCategory.Closed => common["Level_closed"],
            ShelterCategory.Stale => common["Level_stale"],
            ShelterCategory.NoReport => text["Category_none"],
            _ => throw new ArgumentOutOfRangeException(nameof(category)),
        };
    }

    /// <summary>The level word of a report, stale or not (for the table and a stale marker's tooltip).</summary>
    public static string LevelWord(CrowdingLevel level, IStringLocalizer<CommonText> common)
    {
        ArgumentNullException.ThrowIfNull(common);
        return common[$"Level_{level.Code()}"];
    }
}

/// <summary>Shelters as <see cref="SiteMap"/> markers: every marker carries its state as text as well as colour.</summary>
public static class ShelterMap
{
    public static IReadOnlyList<MapMarker> Markers(
        IEnumerable<ShelterRow> rows, bool english, IStringLocalizer<CommonText> common, IStringLocalizer<ShelterText> text)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var markers = new List<MapMarker>();
        foreach (var row in rows)
        {
            // A shelter the hub reports but the registry lacks has no position: it is in the table only.
            if (row.Lat is not { } lat || row.Lon is not { } lon)
            {
                continue;
            }
            var category = ShelterCategories.Of(row);
            var label = Label(row, category, common, text);
            markers.Add(new MapMarker(row.ShelterId, lat, lon, label, category.CssClass(), Title(row, category, label, english, common, text)));
        }
        return markers;
    }

    /// <summary>"満 92%" for a level; the bare word for closed, stale and no report, which have no current figure to show.</summary>
    public static string Label(ShelterRow row, ShelterCategory category, IStringLocalizer<CommonText> common, IStringLocalizer<ShelterText> text)
    {
        ArgumentNullException.ThrowIfNull(row);
        var word = category.Word(common, text);
        return category is ShelterCategory.Available or ShelterCategory.SomewhatCrowded or ShelterCategory.Crowded or ShelterCategory.Full
            && row.OccupancyPct is { } pct && double.IsFinite(pct)
            ? word + " " + Pct(pct)
            : word;
    }

    public static string Pct(double pct) => pct.ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Title(ShelterRow row, ShelterCategory category, string label, bool english,
        IStringLocalizer<CommonText> common, IStringLocalizer<ShelterText> text)
    {
        var name = row.Name(english);
        if (category == ShelterCategory.Stale && row.Level is { } level && row.Age is { } age)
        {
            // The marker says only 報告途絶; the tooltip keeps what the last report said, and how old it is.
            var last = LastReport(row, level, common);
            return text["Marker_TitleStale", name, Freshness.AgeText(age, common), last];
        }
        return text["Marker_Title", name, label];
    }

    private static string LastReport(ShelterRow row, CrowdingLevel level, IStringLocalizer<CommonText> common)
    {
        var word = ShelterCategories.LevelWord(level, common);
        return level != CrowdingLevel.Closed && row.OccupancyPct is { } pct && double.IsFinite(pct) ? word + " " + Pct(pct) : word;
    }
}
