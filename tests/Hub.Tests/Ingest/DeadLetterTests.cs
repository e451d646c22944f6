using System.Text;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace FacilityHub.Hub.Tests.Ingest;

public sealed class DeadLetterTests
{
    [Fact]
    public void Head_Utf8Payload_KeptAsText() =>
        Assert.Equal("{\"名前\":1}", DeadLetter.Head(Encoding.UTF8.GetBytes("{\"名前\":1}")));

    [Fact]
    public void Head_LongPayload_CutAt1KiBWithoutSplittingACharacter()
    {
        var text = new string('a', 1023) + "日本";
        var head = DeadLetter.Head(Encoding.UTF8.GetBytes(text));
        Assert.Equal(new string('a', 1023), head);
    }

    [Fact]
    public void Head_InvalidUtf8_KeptAsBase64SoNothingIsAltered()
    {
        byte[] payload = [0x7B, 0xFF, 0xFE, 0x7D];
        Assert.Equal("base64:" + Convert.ToBase64String(payload), DeadLetter.Head(payload));
    }

    [Fact]
    public void Record_SameMillisecond_EachGetsItsOwnStorageTime()
    {
        var letters = new DeadLetters(NullLogger<DeadLetters>.Instance, TimeProvider.System);
        var at = DateTimeOffset.UtcNow;
        var a = letters.Record("t", "x"u8, new Rejection(RejectReason.InvalidJson, "x"), at);
        var b = letters.Record("t", "x"u8, new Rejection(RejectReason.InvalidJson, "x"), at);
        Assert.True(b.StoredAt > a.StoredAt);
        Assert.Equal(2, letters.Counts[RejectReason.InvalidJson]);
        Assert.Equal(b, letters.RecentFirst(1)[0]);
    }
}
