using System.Globalization;

namespace FacilityHub.Dashboard.Aps;

/// <summary>One floor of a site's AP grid.</summary>
public sealed record ApFloorGroup(string? Floor, IReadOnlyList<ApRow> Aps);

public static class ApFloors
{
    /// <summary>
    /// <paramref name="rows"/> by floor, bottom up (B2, B1, 1F … 6F) as the building is drawn in the registry;
    /// floors the scheme does not know after those, by name; APs without a floor last. Within a floor APs keep
    /// their id order, so a tile stays where it is on the wall screen whatever its numbers do.
    /// </summary>
    public static IReadOnlyList<ApFloorGroup> Group(IEnumerable<ApRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.GroupBy(r => r.Floor, StringComparer.Ordinal)
            .OrderBy(g => Level(g.Key))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ApFloorGroup(g.Key, g.OrderBy(r => r.ApId, StringComparer.Ordinal).ToList()))
            .ToList();
    }

    /// <summary>B1 → -1, 1F → 1, 6F → 6; anything else after every real floor, no floor at all last.</summary>
    public static int Level(string? floor)
    {
        if (floor is null)
        {
            return int.MaxValue;
        }
        if (floor.Length > 1 && (floor[0] is 'B' or 'b') && Whole(floor[1..]) is { } below)
        {
            return -below;
        }
        if (floor.Length > 1 && (floor[^1] is 'F' or 'f') && Whole(floor[..^1]) is { } above)
        {
            return above;
        }
        return int.MaxValue - 1;
    }

    private static int? Whole(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
