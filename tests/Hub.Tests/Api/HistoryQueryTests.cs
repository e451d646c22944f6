using System.Text.Json;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;
using FacilityHub.Hub.Api;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Api;

public sealed class HistoryQueryTests
{
    private static readonly SiteRegistry Sites = SiteRegistry.Load(RepoPaths.SampleRegistry);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.FromHours(9));

    private static HistoryApi.ParseResult Parse(
        string? id = "civic-1f-01", string? fields = null, string? from = null, string? to = null, string? interval = null, string? agg = null) =>
        HistoryApi.Parse(id, fields, from, to, interval, agg, Sites, maxPoints: 1000, Now);

    [Fact]
    public void Parse_Defaults_Last24HoursMeanOfDefaultFields()
    {
        var q = Parse().Query!;
        Assert.Equal("ap", q.Measurement);
        Assert.Equal(Now - TimeSpan.FromHours(24), q.From);
        Assert.Equal(Now, q.To);
        Assert.Equal("mean", q.Aggregate);
        Assert.Contains("clients_5g", q.Fields);
        Assert.Equal(TimeSpan.FromSeconds(288), q.Interval);
    }

    [Fact]
    public void ToInfluxQl_ShelterMax_GroupsByInterval() =>
        Assert.Equal(
            "SELECT max(\"occupancy\") AS \"occupancy\" FROM \"shelter\" WHERE \"shelter\" = 'shl-juo-es' AND time >= 1795399200000ms AND time < 1795402800000ms GROUP BY time(300s) fill(none)",
            Parse("shl-juo-es", "occupancy", "2026-11-23T11:00:00+09:00", "2026-11-23T12:00:00+09:00", "5m", "max").Query!.ToInfluxQl());

    [Fact]
    public void ToInfluxQl_Weather_WorstQualityBesideEachFieldAndEmptyIntervalsKept() =>
        Assert.Equal(
            "SELECT mean(\"temperature_c\") AS \"temperature_c\", max(\"temperature_c_qc\") AS \"temperature_c_qc\", "
            + "mean(\"pressure_hpa\") AS \"pressure_hpa\", max(\"pressure_hpa_qc\") AS \"pressure_hpa_qc\" "
            + "FROM \"weather\" WHERE \"station\" = 'wx-juo' AND time >= 1795399200000ms AND time < 1795402800000ms GROUP BY time(600s) fill(null)",
            Parse("wx-juo", "temperature_c,pressure_hpa", "2026-11-23T11:00:00+09:00", "2026-11-23T12:00:00+09:00", "10m").Query!.ToInfluxQl());

    [Fact]
    public void Read_WeatherRows_QualityFromCodesMissingWhenNoValue()
    {
        var q = Parse("wx-juo", "temperature_c", "2026-11-23T11:00:00+09:00", "2026-11-23T12:00:00+09:00", "10m").Query!;
        using var document = JsonDocument.Parse("""
            {"results":[{"statement_id":0,"series":[{"name":"weather","columns":["time","temperature_c","temperature_c_qc"],"values":[
              [1795399200000,12.5,null],[1795399800000,13.1,2],[1795400400000,null,null],[1795401000000,14,3]]}]}]}
            """);
        var points = Assert.Single(q.Read(document).Series).Points;
        Assert.Equal(
            [(12.5, (QualityFlag?)null), (13.1, QualityFlag.Jump), ((double?)null, QualityFlag.Missing), (14, QualityFlag.OutOfRange)],
            points.Select(p => (p.V, p.Q)));
    }

    [Fact]
    public void Read_ApRows_NoQualityAndEmptyValuesSkipped()
    {
        var q = Parse("civic-1f-01", "clients_5g", "2026-11-23T11:00:00+09:00", "2026-11-23T12:00:00+09:00", "10m").Query!;
        using var document = JsonDocument.Parse("""
            {"results":[{"statement_id":0,"series":[{"name":"ap","columns":["time","clients_5g"],"values":[[1795399200000,12],[1795399800000,null]]}]}]}
            """);
        var point = Assert.Single(Assert.Single(q.Read(document).Series).Points);
        Assert.Equal((12, null), (point.V, point.Q));
    }

    [Theory]
    [InlineData(null, null, null, null, null, "id is required")]
    [InlineData("nope", null, null, null, null, "unknown id 'nope'")]
    [InlineData("civic-center", null, null, null, null, "is a CivicCenter")]
    [InlineData("civic-1f-01", "occupancy", null, null, null, "field 'occupancy' is not a numeric field of 'ap'")]
    [InlineData("civic-1f-01", null, "yesterday", null, null, "from 'yesterday' is not ISO 8601")]
    [InlineData("civic-1f-01", null, null, "2026-11-23T12:00:00", null, "to '2026-11-23T12:00:00' is not ISO 8601")]
    [InlineData("civic-1f-01", null, "2026-11-23T12:00:00+09:00", "2026-11-23T11:00:00+09:00", null, "must be before to")]
    [InlineData("civic-1f-01", null, null, null, "5x", "interval '5x'")]
    [InlineData("civic-1f-01", null, null, null, "0m", "interval '0m'")]
    [InlineData("civic-1f-01", null, null, null, "1s", "too many points requested: 86400")]
    public void Parse_BadParameter_SaysWhich(string? id, string? fields, string? from, string? to, string? interval, string expected)
    {
        var result = Parse(id, fields, from, to, interval);
        Assert.Null(result.Query);
        Assert.Contains(expected, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownAggregate_IsRefused() =>
        Assert.Contains("agg 'median' must be one of mean, max, min, last", Parse(agg: "median").Problem, StringComparison.Ordinal);

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    public void TryParseInterval_Units_AreSeconds(string text, int seconds)
    {
        Assert.True(HistoryApi.TryParseInterval(text, out var interval));
        Assert.Equal(TimeSpan.FromSeconds(seconds), interval);
    }
}
