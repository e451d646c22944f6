using System.Text;
using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Quality;

namespace FacilityHub.Hub.Storage;

/// <summary>
/// Maps validated readings to the InfluxDB schema of PROTOCOL.md. Absent elements stay absent fields. Tags are
/// written sorted by key, as InfluxDB asks: it sorts every point whose tags are not.
/// </summary>
public static class Points
{
    public static void Ap(StringBuilder sb, ApReading r)
    {
        var s = r.Sample;
        LineProtocol.Start(sb, "ap")
            .Tag("ap", r.AccessPoint.Id)
            .Tag("district", r.Site.District)
            .Tag("site", r.Site.Id)
            .Field("up", s.Status == ApStatus.Up)
            .Field("clients_2g", (long?)s.Clients2g)
            .Field("clients_5g", (long?)s.Clients5g)
            .Field("channel_util_2g_pct", s.ChannelUtil2gPct)
            .Field("channel_util_5g_pct", s.ChannelUtil5gPct)
            .Field("rx_bps", (double?)s.RxBps)
            .Field("tx_bps", (double?)s.TxBps)
            .Field("noise_dbm", s.NoiseDbm)
            .Field("cpu_pct", s.CpuPct)
            .Field("mem_pct", s.MemPct)
            .Field("uptime_s", s.UptimeS)
            .Field("seq", s.Seq)
            .Timestamp(s.Ts);
    }

    public static void Shelter(StringBuilder sb, ShelterReading r, double occupancyPct, CrowdingLevel level)
    {
        var s = r.Report;
        LineProtocol.Start(sb, "shelter")
            .Tag("district", r.Shelter.District)
            .Tag("shelter", r.Shelter.Id)
            .Field("open", s.Open)
            .Field("accepting", s.Accepting)
            .Field("occupancy", (long?)s.Occupancy)
            .Field("capacity", (long?)r.Capacity)
            .Field("occupancy_pct", occupancyPct)
            .Field("level", level.Code())
            .Field("source", SourceCode(s.Source))
            .Field("seq", s.Seq)
            .Timestamp(s.Ts);
    }

    public static string SourceCode(ShelterSource source) => source switch
    {
        ShelterSource.Tablet => "tablet",
        ShelterSource.Counter => "counter",
        ShelterSource.Manual => "manual",
        ShelterSource.Sim => "sim",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>The observation and, beside each element that is not ok (nor missing), its quality code (<see cref="StoredQuality"/>).</summary>
    public static void Weather(StringBuilder sb, WeatherReading r, WeatherQuality q)
    {
        var o = r.Observation;
        var line = LineProtocol.Start(sb, "weather")
            .Tag("district", r.Station.District)
            .Tag("station", r.Station.Id)
            .Field("temperature_c", o.TemperatureC)
            .Field("humidity_pct", o.HumidityPct)
            .Field("pressure_hpa", o.PressureHpa)
            .Field("wind_speed_ms", o.WindSpeedMs)
            .Field("wind_dir_deg", o.WindDirDeg)
            .Field("gust_ms", o.GustMs)
            .Field("rain_10m_mm", o.Rain10mMm)
            .Field("rain_1h_mm", o.Rain1hMm)
            .Field("rain_24h_mm", o.Rain24hMm)
            .Field("seq", o.Seq);
        if (!ReferenceEquals(q, WeatherQuality.AllOk) && !ReferenceEquals(q, WeatherQuality.AllMissing))
        {
            for (var i = 0; i < WeatherElements.Count; i++)
            {
                var element = (WeatherElement)i;
                line.Field(StoredQuality.QualityField(element), StoredQuality.Code(q.Of(element)));
            }
        }
        line.Timestamp(o.Ts);
    }

    public static void Agent(StringBuilder sb, AgentStatusReading r) =>
        LineProtocol.Start(sb, "agent")
            .Tag("agent", r.AgentId)
            .Field("online", r.Status.State == AgentPresence.Online)
            .Field("queued", r.Status.Queued)
            .Field("oldest_unacked_s", r.Status.OldestUnackedS)
            .Field("evicted", r.Status.Evicted)
            .Timestamp(r.Status.Ts);

    public static void Rejected(StringBuilder sb, DeadLetter d) =>
        LineProtocol.Start(sb, "rejected")
            .Tag("reason", d.Reason.Code())
            .Field("topic", d.Topic)
            .Field("detail", d.Detail)
            .Field("payload_head", d.PayloadHead)
            .Timestamp(d.StoredAt);
}
