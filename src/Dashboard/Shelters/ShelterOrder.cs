using FacilityHub.Contracts.Crowding;

namespace FacilityHub.Dashboard.Shelters;

/// <summary>
/// The shelter table's sortable columns, in the order shown: name and crowding first, so a phone shows them
/// before the table has to be scrolled sideways.
/// </summary>
public enum ShelterColumn
{
    Name,
    Level,
    Percent,
    Occupancy,
    Capacity,
    Trend,
    Age,
    District,
}

/// <summary>
/// How the shelter table is sorted. Shelters without a value in the sorted column (no report yet, no history) go
/// last in either direction, so reversing a column never fills the top of the table with dashes. Ties fall back to
/// occupancy % (most crowded first) and then the name, so rows do not jump about between pushes.
/// </summary>
public sealed record ShelterOrder(ShelterColumn Column, bool Descending)
{
    /// <summary>Most crowded first: what HQ looks at first.</summary>
    public static ShelterOrder Default { get; } = new(ShelterColumn.Level, Descending: true);

    /// <summary>A click on a header: the same column reverses, another starts in its natural direction.</summary>
    public ShelterOrder Toggle(ShelterColumn column) =>
        column == Column ? this with { Descending = !Descending } : new ShelterOrder(column, StartsDescending(column));

    /// <summary>The header's aria-sort value.</summary>
    public string AriaSort(ShelterColumn column) =>
        column != Column ? "none" : Descending ? "descending" : "ascending";

    /// <summary>Names A→Z; figures, crowding and report age biggest first (the fullest, the busiest, the longest silent).</summary>
    public static bool StartsDescending(ShelterColumn column) => column is not (ShelterColumn.Name or ShelterColumn.District);

    public IReadOnlyList<ShelterRow> Apply(
        IEnumerable<ShelterRow> rows, IReadOnlyDictionary<string, ShelterTrend> trends, bool english, StringComparer names)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(trends);
        ArgumentNullException.ThrowIfNull(names);
        var list = rows.ToList();
        list.Sort((a, b) =>
        {
            var c = Column switch
            {
                ShelterColumn.Name => Text(a.Name(english), b.Name(english), names),
                ShelterColumn.District => Text(a.District(english), b.District(english), names),
                ShelterColumn.Occupancy => Number(a.Occupancy, b.Occupancy),
                ShelterColumn.Capacity => Number(a.Capacity, b.Capacity),
                ShelterColumn.Percent => Number(a.OccupancyPct, b.OccupancyPct),
                ShelterColumn.Level => Number(Rank(a), Rank(b)),
                ShelterColumn.Trend => Number(Delta(a, trends), Delta(b, trends)),
                ShelterColumn.Age => Number(a.Age?.Ticks, b.Age?.Ticks),
                _ => 0,
            };
            if (c != 0)
            {
                return c;
            }
            // Tie-breaks keep their own direction whatever the chosen one.
            var byPct = NullsLast(a.OccupancyPct, b.OccupancyPct);
            if (byPct != 0)
            {
                return byPct;
            }
            var byName = names.Compare(a.Name(english), b.Name(english));
            return byName != 0 ? byName : string.CompareOrdinal(a.ShelterId, b.ShelterId);
        });
        return list;

        int Number(double? x, double? y) => x is null || y is null ? NullsLast(x, y) : Descending ? y.Value.CompareTo(x.Value) : x.Value.CompareTo(y.Value);

        int Text(string? x, string? y, StringComparer comparer) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => Descending ? comparer.Compare(y, x) : comparer.Compare(x, y),
        };
    }

    /// <summary>Crowding as an order: 満 above 混雑 above やや混雑 above 空いています, then closed; null without a report.</summary>
    public static int? Rank(ShelterRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Level switch
        {
            CrowdingLevel.Full => 4,
            CrowdingLevel.Crowded => 3,
            CrowdingLevel.SomewhatCrowded => 2,
            CrowdingLevel.Available => 1,
            CrowdingLevel.Closed => 0,
            _ => null,
        };
    }

    private static double? Delta(ShelterRow row, IReadOnlyDictionary<string, ShelterTrend> trends) =>
        trends.TryGetValue(row.ShelterId, out var trend) ? trend.Change?.Delta : null;

    // Plain descending order on x vs y, nulls after every value.
    private static int NullsLast(double? x, double? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => y.Value.CompareTo(x.Value),
    };
}
