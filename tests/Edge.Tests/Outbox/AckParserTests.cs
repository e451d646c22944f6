using System.Text;
using FacilityHub.Edge.Outbox;

namespace FacilityHub.Edge.Tests.Outbox;

public sealed class AckParserTests
{
    private static (bool Ok, IReadOnlyList<SeqRange> Ranges, string Problem) Parse(string json)
    {
        var ok = AckParser.TryParse(Encoding.UTF8.GetBytes(json), out var ranges, out var problem);
        return (ok, ranges, problem);
    }

    [Fact]
    public void TryParse_ProtocolExample_ReturnsTheRanges()
    {
        var (ok, ranges, _) = Parse("""{"ts":"2026-11-23T10:15:00.000+09:00","ranges":[[100,150],[152,152]]}""");

        Assert.True(ok);
        Assert.Equal([new SeqRange(100, 150), new SeqRange(152, 152)], ranges);
    }

    [Fact]
    public void TryParse_UnknownFieldsAndNoTs_AreIgnored()
    {
        var (ok, ranges, _) = Parse("""{"ranges":[[1,2]],"hub":"hub-1"}""");

        Assert.True(ok);
        Assert.Equal([new SeqRange(1, 2)], ranges);
    }

    [Theory]
    [InlineData("", "not an ack object")]
    [InlineData("not json", "not an ack object")]
    [InlineData("[]", "not an ack object")]
    [InlineData("""{"ts":"2026-11-23T10:15:00.000+09:00"}""", "ranges is missing")]
    [InlineData("""{"ts":"x","ranges":[[1,1]]}""", "not an ack object")]
    [InlineData("""{"ranges":null}""", "ranges is missing")]
    [InlineData("""{"ranges":"100-150"}""", "not an ack object")]
    [InlineData("""{"ranges":[[150,100]]}""", "range [150,100] is not [first, last]")]
    [InlineData("""{"ranges":[[-1,5]]}""", "range [-1,5]")]
    [InlineData("""{"ranges":[[1,2,3]]}""", "range [1,2,3]")]
    [InlineData("""{"ranges":[[7]]}""", "range [7]")]
    [InlineData("""{"ranges":[null]}""", "range []")]
    [InlineData("""{"ranges":[["1","2"]]}""", "not an ack object")]
    [InlineData("""{"ranges":[[1.5,2]]}""", "not an ack object")]
    [InlineData("""{"ranges":[[1,2]],"ranges":[[3,4]]}""", "not an ack object")]
    [InlineData("""{"ranges":[[1,99999999999999999999]]}""", "not an ack object")]
    public void TryParse_BadPayload_IsRefusedWholeWithAReason(string json, string problem)
    {
        var (ok, ranges, why) = Parse(json);

        Assert.False(ok);
        Assert.Empty(ranges);
        Assert.StartsWith(problem, why, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OneBadRangeAmongGoodOnes_RefusesTheWholeAck()
    {
        Assert.False(Parse("""{"ranges":[[1,5],[9,8],[10,12]]}""").Ok);
    }

    [Fact]
    public void TryParse_TooManyRanges_IsRefused()
    {
        var json = "{\"ranges\":[" + string.Join(",", Enumerable.Range(0, AckParser.MaxRanges + 1).Select(i => $"[{i * 2},{i * 2}]")) + "]}";

        var (ok, _, problem) = Parse(json);

        Assert.False(ok);
        Assert.StartsWith($"{AckParser.MaxRanges + 1} ranges", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DeeplyNested_IsRefused()
    {
        Assert.False(Parse("""{"ranges":[[[[[[1]]]]]]}""").Ok);
    }
}
