using System.Text;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;

namespace FacilityHub.Contracts.Tests;

public sealed class MessageDecoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(9));
    private const string Ts = "2026-11-23T10:15:00.000+09:00";
    private const string ApTopic = "fh/v1/ap/civic/civic-1f-01";
    private const string ShelterTopic = "fh/v1/shelter/shl-a";
    private const string WeatherTopic = "fh/v1/weather/wx-a";

    private const string ApUp = $$"""
        {"ts":"{{Ts}}","agent":"edge-civic","seq":1234,"status":"up","clients2g":12,"clients5g":31,"channelUtil2gPct":42.5,"channelUtil5gPct":18.0,"rxBps":1234567,"txBps":2345678,"noiseDbm":-92,"uptimeS":86400,"cpuPct":12.0,"memPct":40.5}
        """;

    private const string Shelter = $$"""
        {"ts":"{{Ts}}","agent":"tablet-shl-07","seq":88,"open":true,"occupancy":123,"capacity":400,"accepting":true,"source":"tablet"}
        """;

    private const string Weather = $$"""
        {"ts":"{{Ts}}","agent":"wx-north","seq":5001,"temperatureC":12.4,"humidityPct":65,"pressureHpa":1012.3,"windSpeedMs":3.2,"windDirDeg":225,"gustMs":6.1,"rain10mMm":0.5,"rain1hMm":2.0,"rain24hMm":15.5}
        """;

    private readonly MessageDecoder _decoder = new(new TopicScheme(), TestRegistry.Load(), new DecodeLimits());

    private DecodeResult Decode(string topic, string json) => _decoder.Decode(topic, Encoding.UTF8.GetBytes(json), Now);

    private void AssertRejected(RejectReason reason, string topic, string json, string? detail = null)
    {
        var result = Decode(topic, json);
        Assert.Null(result.Reading);
        Assert.NotNull(result.Rejection);
        Assert.Equal(reason, result.Rejection.Reason);
        if (detail is not null)
        {
            Assert.Contains(detail, result.Rejection.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decode_ProtocolApSample_ReturnsEveryValue()
    {
        var reading = Assert.IsType<ApReading>(Decode(ApTopic, ApUp).Reading);
        Assert.Equal("civic", reading.Site.Id);
        Assert.Equal("civic-1f-01", reading.AccessPoint.Id);
        Assert.Equal(new ApSample(Now, ApStatus.Up, "edge-civic", 1234, 12, 31, 42.5, 18.0, 1234567, 2345678, -92, 86400, 12.0, 40.5), reading.Sample);
    }

    [Fact]
    public void Decode_ApDownWithOnlyTsAndStatus_IsValid()
    {
        var reading = Assert.IsType<ApReading>(Decode(ApTopic, $$"""{"ts":"{{Ts}}","status":"down"}""").Reading);
        Assert.Equal(ApStatus.Down, reading.Sample.Status);
        Assert.Null(reading.Sample.Clients2g);
    }

    [Fact]
    public void Decode_ProtocolShelterReport_UsesRegistryCapacityWhenOmitted()
    {
        var reading = Assert.IsType<ShelterReading>(Decode(ShelterTopic, Shelter.Replace("\"capacity\":400,", "\"capacity\":350,", StringComparison.Ordinal)).Reading);
        Assert.Equal(350, reading.Capacity);
        var withoutCapacity = Assert.IsType<ShelterReading>(Decode(ShelterTopic, Shelter.Replace("\"capacity\":400,", "", StringComparison.Ordinal)).Reading);
        Assert.Null(withoutCapacity.Report.Capacity);
        Assert.Equal(400, withoutCapacity.Capacity);
        Assert.Equal(ShelterSource.Tablet, withoutCapacity.Report.Source);
    }

    [Fact]
    public void Decode_ProtocolWeatherObservation_ReturnsEveryValue()
    {
        var reading = Assert.IsType<WeatherReading>(Decode(WeatherTopic, Weather).Reading);
        Assert.Equal(new WeatherObservation(Now, "wx-north", 5001, 12.4, 65, 1012.3, 3.2, 225, 6.1, 0.5, 2.0, 15.5), reading.Observation);
    }

    [Fact]
    public void Decode_WeatherWithBrokenSensors_KeepsOnlyPresentElements()
    {
        var reading = Assert.IsType<WeatherReading>(Decode(WeatherTopic, $$"""{"ts":"{{Ts}}","temperatureC":-3.5}""").Reading);
        Assert.Equal(-3.5, reading.Observation.TemperatureC);
        Assert.Null(reading.Observation.HumidityPct);
    }

    [Fact]
    public void Decode_AgentStatus_ReturnsState()
    {
        var reading = Assert.IsType<AgentStatusReading>(
            Decode("fh/v1/agent/edge-sim/status", $$"""{"ts":"{{Ts}}","state":"online","version":"1.0.0","queued":3}""").Reading);
        Assert.Equal("edge-sim", reading.AgentId);
        Assert.Equal(AgentPresence.Online, reading.Status.State);
        Assert.Equal(3, reading.Status.Queued);
        Assert.Null(reading.Status.OldestUnackedS);
        Assert.Null(reading.Status.Evicted);
    }

    [Fact]
    public void Decode_AgentStatusWithOutboxFields_ReturnsThem()
    {
        var reading = Assert.IsType<AgentStatusReading>(Decode(
            "fh/v1/agent/edge-sim/status",
            $$"""{"ts":"{{Ts}}","state":"online","version":"1.0.0","queued":3,"oldestUnackedS":42,"evicted":0}""").Reading);
        Assert.Equal(new AgentStatus(Now, AgentPresence.Online, "1.0.0", 3, 42, 0), reading.Status);
    }

    [Theory]
    [InlineData("\"oldestUnackedS\":-1", "oldestUnackedS -1 is outside")]
    [InlineData("\"evicted\":-5", "evicted -5 is outside")]
    public void Decode_AgentStatusNegativeOutboxField_IsOutOfRange(string field, string detail) =>
        AssertRejected(RejectReason.OutOfRange, "fh/v1/agent/edge-sim/status", $$"""{"ts":"{{Ts}}","state":"online",{{field}}}""", detail);

    [Theory]
    [InlineData("\"oldestUnackedS\":\"42\"", "oldestUnackedS")]
    [InlineData("\"evicted\":1.5", "evicted")]
    public void Decode_AgentStatusOutboxFieldNotAnInteger_IsWrongType(string field, string detail) =>
        AssertRejected(RejectReason.WrongType, "fh/v1/agent/edge-sim/status", $$"""{"ts":"{{Ts}}","state":"online",{{field}}}""", detail);

    [Fact]
    public void Decode_TsWithZuluAndNoFraction_IsAccepted() =>
        Assert.NotNull(Decode(WeatherTopic, """{"ts":"2026-11-23T01:15:00Z","temperatureC":1}""").Reading);

    [Fact]
    public void Decode_OverSizeLimit_IsTooLarge()
    {
        var padding = new string(' ', 16 * 1024);
        AssertRejected(RejectReason.TooLarge, WeatherTopic, Weather + padding, "limit 16384");
    }

    [Fact]
    public void Decode_JustUnderSizeLimit_IsAccepted()
    {
        var padding = new string(' ', 16 * 1024 - Encoding.UTF8.GetByteCount(Weather));
        Assert.NotNull(Decode(WeatherTopic, Weather + padding).Reading);
    }

    [Fact]
    public void Decode_InvalidUtf8_IsInvalidJson()
    {
        var bytes = Encoding.UTF8.GetBytes(Weather);
        bytes[20] = 0xFF;
        var result = _decoder.Decode(WeatherTopic, bytes, Now);
        Assert.Equal(RejectReason.InvalidJson, result.Rejection?.Reason);
        Assert.Contains("UTF-8", result.Rejection!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"ts\":}")]
    [InlineData("{\"temperatureC\":NaN}")]
    [InlineData("{\"temperatureC\":Infinity}")]
    [InlineData("{\"temperatureC\":-Infinity}")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("{'ts':'x'}")]
    public void Decode_MalformedJson_IsInvalidJson(string json) => AssertRejected(RejectReason.InvalidJson, WeatherTopic, json);

    [Fact]
    public void Decode_DuplicateKey_IsInvalidJsonNamingTheKey() =>
        AssertRejected(RejectReason.InvalidJson, WeatherTopic, $$"""{"ts":"{{Ts}}","temperatureC":1,"temperatureC":2}""", "'temperatureC' appears more than once");

    [Fact]
    public void Decode_DeeplyNested_IsInvalidJson() =>
        AssertRejected(RejectReason.InvalidJson, WeatherTopic, "{\"a\":" + new string('[', 100) + new string(']', 100) + "}");

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    public void Decode_NotAnObject_IsWrongType(string json) => AssertRejected(RejectReason.WrongType, WeatherTopic, json, "JSON object");

    [Theory]
    [InlineData("fh/v1/shelter/SHL-A")]
    [InlineData("fh/v1/shelter/+")]
    [InlineData("fh/v1/shelter//")]
    [InlineData("fh/v1/unknown/x")]
    [InlineData("fh/v1/ack/edge-sim")]
    public void Decode_TopicOutsideScheme_IsBadTopic(string topic) => AssertRejected(RejectReason.BadTopic, topic, Shelter);

    [Theory]
    [InlineData("fh/v1/shelter/shl-zzz", "shelter 'shl-zzz'")]
    [InlineData("fh/v1/shelter/wx-a", "shelter 'wx-a'")]
    [InlineData("fh/v1/weather/shl-a", "weather station 'shl-a'")]
    [InlineData("fh/v1/ap/civic/cc-a-ap1", "not registered at site 'civic'")]
    [InlineData("fh/v1/ap/nowhere/civic-1f-01", "site 'nowhere'")]
    [InlineData("fh/v1/ap/civic/civic-9f-99", "access point 'civic-9f-99'")]
    public void Decode_UnknownId_IsUnknownId(string topic, string detail)
    {
        var json = topic.Contains("/ap/", StringComparison.Ordinal) ? ApUp : topic.Contains("/weather/", StringComparison.Ordinal) ? Weather : Shelter;
        AssertRejected(RejectReason.UnknownId, topic, json, detail);
    }

    [Theory]
    [InlineData(ApTopic, "\"ts\":\"" + Ts + "\",", "ts is required")]
    [InlineData(ApTopic, "\"status\":\"up\",", "status is required")]
    [InlineData(ApTopic, "\"clients2g\":12,", "clients2g is required")]
    [InlineData(ApTopic, "\"uptimeS\":86400,", "uptimeS is required")]
    [InlineData(ShelterTopic, "\"occupancy\":123,", "occupancy is required")]
    [InlineData(ShelterTopic, "\"open\":true,", "open is required")]
    [InlineData(ShelterTopic, "\"accepting\":true,", "accepting is required")]
    [InlineData(ShelterTopic, ",\"source\":\"tablet\"", "source is required")]
    public void Decode_MissingRequiredField_IsMissingField(string topic, string remove, string detail)
    {
        var json = (topic == ApTopic ? ApUp : Shelter).Replace(remove, "", StringComparison.Ordinal);
        AssertRejected(RejectReason.MissingField, topic, json, detail);
    }

    [Fact]
    public void Decode_WeatherWithNoElements_IsMissingField() =>
        AssertRejected(RejectReason.MissingField, WeatherTopic, $$"""{"ts":"{{Ts}}","seq":1}""", "at least one element");

    [Theory]
    [InlineData("\"clients2g\":12", "\"clients2g\":\"12\"", "clients2g")]
    [InlineData("\"clients2g\":12", "\"clients2g\":12.5", "clients2g")]
    [InlineData("\"channelUtil2gPct\":42.5", "\"channelUtil2gPct\":\"42.5\"", "channelUtil2gPct")]
    [InlineData("\"channelUtil2gPct\":42.5", "\"channelUtil2gPct\":\"NaN\"", "channelUtil2gPct")]
    [InlineData("\"channelUtil2gPct\":42.5", "\"channelUtil2gPct\":true", "channelUtil2gPct")]
    [InlineData("\"status\":\"up\"", "\"status\":\"UP\"", "status 'UP'")]
    [InlineData("\"status\":\"up\"", "\"status\":1", "status")]
    [InlineData("\"ts\":\"" + Ts + "\"", "\"ts\":1700000000000", "ts must be a string")]
    [InlineData("\"ts\":\"" + Ts + "\"", "\"ts\":\"2026-11-23T10:15:00.000\"", "not ISO 8601 with an offset")]
    [InlineData("\"ts\":\"" + Ts + "\"", "\"ts\":\"yesterday\"", "not ISO 8601")]
    [InlineData("\"agent\":\"edge-civic\"", "\"agent\":\"Edge Civic\"", "agent")]
    [InlineData("\"seq\":1234", "\"seq\":\"1234\"", "seq")]
    public void Decode_WrongType_IsWrongType(string from, string to, string detail) =>
        AssertRejected(RejectReason.WrongType, ApTopic, ApUp.Replace(from, to, StringComparison.Ordinal), detail);

    [Fact]
    public void Decode_UnknownShelterSource_IsWrongTypeListingAllowedValues() =>
        AssertRejected(RejectReason.WrongType, ShelterTopic, Shelter.Replace("tablet\"", "fax\"", StringComparison.Ordinal), "'tablet', 'counter', 'manual' or 'sim'");

    [Theory]
    [InlineData("\"humidityPct\":65", "\"humidityPct\":140", "humidityPct 140")]
    [InlineData("\"humidityPct\":65", "\"humidityPct\":-1", "humidityPct")]
    [InlineData("\"windDirDeg\":225", "\"windDirDeg\":361", "windDirDeg")]
    [InlineData("\"rain10mMm\":0.5", "\"rain10mMm\":-0.1", "rain10mMm")]
    [InlineData("\"temperatureC\":12.4", "\"temperatureC\":1e400", "temperatureC is not a finite number")]
    [InlineData("\"temperatureC\":12.4", "\"temperatureC\":-1e309", "temperatureC is not a finite number")]
    [InlineData("\"pressureHpa\":1012.3", "\"pressureHpa\":10", "pressureHpa")]
    [InlineData("\"seq\":5001", "\"seq\":-1", "seq")]
    [InlineData("\"seq\":5001", "\"seq\":9223372036854775808", "seq 9223372036854775808 is outside the range of a whole number")]
    [InlineData("\"seq\":5001", "\"seq\":1e19", "seq 1e19 is outside the range")]
    public void Decode_OutOfRangeWeather_IsOutOfRange(string from, string to, string detail) =>
        AssertRejected(RejectReason.OutOfRange, WeatherTopic, Weather.Replace(from, to, StringComparison.Ordinal), detail);

    [Theory]
    [InlineData("\"clients2g\":12", "\"clients2g\":2147483648", RejectReason.OutOfRange)]
    [InlineData("\"clients2g\":12", "\"clients2g\":1e10", RejectReason.OutOfRange)]
    [InlineData("\"rxBps\":1234567", "\"rxBps\":1e20", RejectReason.OutOfRange)]
    [InlineData("\"clients2g\":12", "\"clients2g\":12.0", RejectReason.WrongType)]
    [InlineData("\"clients2g\":12", "\"clients2g\":1e1", RejectReason.WrongType)]
    [InlineData("\"rxBps\":1234567", "\"rxBps\":1234567.5", RejectReason.WrongType)]
    public void Decode_NumberThatDoesNotFitWholeNumberField_OverflowIsOutOfRangeFractionIsWrongType(string from, string to, RejectReason reason) =>
        AssertRejected(reason, ApTopic, ApUp.Replace(from, to, StringComparison.Ordinal));

    [Theory]
    [InlineData("{\"ts\":\"" + Ts + "\",\"temperatureC\":1,\"extra\":{\"a\":1,\"a\":2}}", "'a' appears more than once")]
    [InlineData("{\"ts\":\"" + Ts + "\",\"temperatureC\":1,\"extra\":[{\"a\":1},{\"b\":1,\"b\":2}]}", "'b' appears more than once")]
    [InlineData("{\"ts\":\"" + Ts + "\",\"temperatureC\":1,\"t\\u0073\":\"" + Ts + "\"}", "'ts' appears more than once")]
    public void Decode_DuplicateKeyAtAnyDepth_IsInvalidJson(string json, string detail) => AssertRejected(RejectReason.InvalidJson, WeatherTopic, json, detail);

    [Fact]
    public void Decode_SameKeyInSiblingObjects_IsNotADuplicate() =>
        Assert.NotNull(Decode(WeatherTopic, $$"""{"ts":"{{Ts}}","temperatureC":1,"extra":[{"a":1},{"a":2}]}""").Reading);

    [Fact]
    public void Decode_DuplicateAmongKeysBeyondThe32nd_IsInvalidJson()
    {
        var keys = string.Concat(Enumerable.Range(0, 40).Select(i => $",\"k{i}\":{i}"));
        AssertRejected(RejectReason.InvalidJson, WeatherTopic, $$"""{"ts":"{{Ts}}","temperatureC":1{{keys}},"k35":0}""", "'k35' appears more than once");
    }

    [Theory]
    [InlineData("{\"\\ud800\":1}")]
    [InlineData("{\"ts\":\"\\udfff\",\"temperatureC\":1}")]
    [InlineData("{\"ts\":\"" + Ts + "\",\"temperatureC\":1,\"agent\":\"a\\ud800\"}")]
    [InlineData("{\"ts\":\"" + Ts + "\",\"temperatureC\":1,\"unknown\":\"\\ud83d\"}")]
    public void Decode_EscapedLoneSurrogate_IsInvalidJsonNotAnException(string json) =>
        AssertRejected(RejectReason.InvalidJson, WeatherTopic, json, "lone surrogate");

    [Fact]
    public void Decode_ByteOrderMark_IsInvalidJsonSayingSo() =>
        AssertRejected(RejectReason.InvalidJson, WeatherTopic, "\uFEFF" + Weather, "byte order mark");

    [Theory]
    [InlineData("[1,")]
    [InlineData("\"unterminated")]
    public void Decode_MalformedNonObject_IsInvalidJsonBeforeWrongType(string json) => AssertRejected(RejectReason.InvalidJson, WeatherTopic, json);

    [Theory]
    [InlineData("0001-01-01T00:00:00.000+09:00")]
    [InlineData("9999-12-31T23:59:59.999-14:00")]
    public void Decode_TsBeyondRepresentableInstants_IsTsOutOfWindow(string ts) =>
        AssertRejected(RejectReason.TsOutOfWindow, WeatherTopic, Weather.Replace(Ts, ts, StringComparison.Ordinal), "year");

    [Fact]
    public void Decode_NullForRequiredField_IsMissingField() =>
        AssertRejected(RejectReason.MissingField, ShelterTopic, Shelter.Replace("\"occupancy\":123", "\"occupancy\":null", StringComparison.Ordinal), "occupancy is required");

    [Theory]
    [InlineData("\"occupancy\":123", "\"occupancy\":-5")]
    [InlineData("\"capacity\":400", "\"capacity\":0")]
    public void Decode_OutOfRangeShelter_IsOutOfRange(string from, string to) =>
        AssertRejected(RejectReason.OutOfRange, ShelterTopic, Shelter.Replace(from, to, StringComparison.Ordinal));

    [Theory]
    [InlineData("\"channelUtil5gPct\":18.0", "\"channelUtil5gPct\":100.5")]
    [InlineData("\"clients5g\":31", "\"clients5g\":-1")]
    [InlineData("\"noiseDbm\":-92", "\"noiseDbm\":5")]
    public void Decode_OutOfRangeAp_IsOutOfRange(string from, string to) =>
        AssertRejected(RejectReason.OutOfRange, ApTopic, ApUp.Replace(from, to, StringComparison.Ordinal));

    [Fact]
    public void Decode_TsTooFarAhead_IsTsOutOfWindow() =>
        AssertRejected(RejectReason.TsOutOfWindow, WeatherTopic, Weather.Replace(Ts, "2026-11-23T10:21:00.000+09:00", StringComparison.Ordinal), "ahead");

    [Fact]
    public void Decode_TsSlightlyAhead_IsAccepted() =>
        Assert.NotNull(Decode(WeatherTopic, Weather.Replace(Ts, "2026-11-23T10:19:00.000+09:00", StringComparison.Ordinal)).Reading);

    [Fact]
    public void Decode_TsTooOld_IsTsOutOfWindow() =>
        AssertRejected(RejectReason.TsOutOfWindow, WeatherTopic, Weather.Replace(Ts, "2026-09-01T10:15:00.000+09:00", StringComparison.Ordinal), "older than");

    [Fact]
    public void Decode_OldRetainedStatus_IsAccepted() =>
        Assert.NotNull(Decode("fh/v1/agent/edge-sim/status", """{"ts":"2020-01-01T00:00:00.000+09:00","state":"offline"}""").Reading);

    [Fact]
    public void Rejection_ToString_StartsWithReasonCode() =>
        Assert.Equal("out_of_range: x", new Rejection(RejectReason.OutOfRange, "x").ToString());
}
