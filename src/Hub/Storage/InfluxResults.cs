using System.Text.Json;

namespace FacilityHub.Hub.Storage;

/// <summary>One row of an InfluxQL result: the series' group-by tags and the row's columns by name.</summary>
public sealed record InfluxRow(IReadOnlyDictionary<string, string?> Tags, IReadOnlyDictionary<string, JsonElement> Values)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Values["time"].GetInt64());
}

public static class InfluxResults
{
    /// <summary>Every row of every series of a <c>/query</c> body (queried with <c>epoch=ms</c>); a statement error throws.</summary>
    public static List<InfluxRow> Rows(JsonDocument document)
    {
        var rows = new List<InfluxRow>();
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxDB: {error.GetString()}");
            }
            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }
            foreach (var s in series.EnumerateArray())
            {
                var tags = s.TryGetProperty("tags", out var t)
                    ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal)
                    : new Dictionary<string, string?>(StringComparer.Ordinal);
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                foreach (var values in s.GetProperty("values").EnumerateArray())
                {
                    var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    var i = 0;
                    foreach (var v in values.EnumerateArray())
                    {
                        map[columns[i++]] = v.Clone();
                    }
                    rows.Add(new InfluxRow(tags, map));
                }
            }
        }
        return rows;
    }
}
