using System.Text;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using FacilityHub.TestSupport;
using MQTTnet;

namespace FacilityHub.Hub.Tests.Corpus;

/// <summary>
/// The corpus against <see cref="MessageDecoder"/> alone, with the hub's default limits and the sample
/// registry the integration runs use: fast, and the place to look first when a case's reason changes.
/// </summary>
public sealed class CorpusDecoderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    /// <summary>The hub's decoder as the integration runs configure it: default limits, the sample registry.</summary>
    internal static readonly MessageDecoder Decoder = new(new TopicScheme(), SiteRegistry.Load(RepoPaths.SampleRegistry), new IngestOptions().ToLimits());

    public static TheoryData<string> BadNames => [.. CorpusMessage.Bad.Select(m => m.Name)];

    public static TheoryData<string> GoodNames => [.. CorpusMessage.Good.Select(m => m.Name)];

    [Fact]
    public void Corpus_AtLeast200BadMessages_EveryProtocolReasonCovered()
    {
        Assert.True(CorpusMessage.Bad.Count >= 200, $"{CorpusMessage.Bad.Count} bad messages");
        var reasons = CorpusMessage.Bad.Select(m => m.Reason).ToHashSet();
        // Reasons the decoder gives; storage_rejected comes from InfluxDB, not_authorized from the broker's ACL (AuthorisationMatrixTests).
        foreach (var reason in Enum.GetValues<RejectReason>().Where(r => r is not (RejectReason.StorageRejected or RejectReason.NotAuthorized)).Select(r => r.Code()))
        {
            Assert.Contains(reason, reasons);
        }
        Assert.Equal(CorpusMessage.Bad.Count + CorpusMessage.Good.Count, CorpusMessage.Bad.Concat(CorpusMessage.Good).Select(m => m.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public void Decode_BadCorpusMessage_RejectedWithItsReason(string name)
    {
        var message = CorpusMessage.Bad.Single(m => m.Name == name);
        var result = Decoder.Decode(message.TopicAsReceived, message.PayloadAt(Now), Now);
        Assert.Null(result.Reading);
        Assert.NotNull(result.Rejection);
        Assert.True(message.Reason == result.Rejection.Reason.Code(), $"{name}: expected {message.Reason}, got {result.Rejection}");
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public void Decode_GoodCorpusMessage_Accepted(string name)
    {
        var message = CorpusMessage.Good.Single(m => m.Name == name);
        var result = Decoder.Decode(message.TopicAsReceived, message.PayloadAt(Now), Now);
        Assert.True(result.Reading is not null, $"{name}: {result.Rejection}");
    }

    [Fact]
    public void Corpus_DeclaredSizes_HoldAfterPlaceholdersAndPadding()
    {
        foreach (var message in CorpusMessage.Bad.Concat(CorpusMessage.Good))
        {
            var size = message.PayloadAt(Now).Length;
            if (message.Bytes is { } bytes)
            {
                Assert.True(bytes == size, $"{message.Name}: {size} bytes, declared {bytes}");
            }
            if (message.PadTo is { } padTo)
            {
                Assert.True(padTo == size, $"{message.Name}: {size} bytes, padded to {padTo}");
            }
        }
        Assert.Contains(CorpusMessage.Good, m => m.PayloadAt(Now).Length == 16 * 1024);
        Assert.Contains(CorpusMessage.Bad, m => m.PayloadAt(Now).Length == 16 * 1024 + 1);
    }

    /// <summary>The routing marks are facts about MQTT, not guesses: checked against the spec's rules and MQTTnet's matcher.</summary>
    [Fact]
    public void Corpus_BrokerMarks_AgreeWithTopicRules()
    {
        foreach (var message in CorpusMessage.Bad.Concat(CorpusMessage.Good))
        {
            var topic = message.TopicAsReceived;
            var forbidden = topic.Length == 0 || topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0;
            Assert.True(forbidden == message.Violation, $"{message.Name}: violation mark {message.Violation}, topic rules say {forbidden}");
            // Mosquitto also closes the connection on non-UTF-8 and control characters (which MQTT 3.1.1 §1.5.3 lets
            // a server refuse), and denies a publish to its own $SYS tree, then closes the connection.
            var refused = forbidden || !System.Text.Unicode.Utf8.IsValid(message.TopicBytes)
                || topic.Any(c => c is <= '\u001F' or (>= '\u007F' and <= '\u009F'))
                || topic.StartsWith("$SYS", StringComparison.Ordinal);
            Assert.True(refused == (message.Mosquitto == "refused"), $"{message.Name}: Mosquitto refuses it: {refused}, mark '{message.Mosquitto}'");
            if (!refused)
            {
                var routed = MqttTopicFilterComparer.Compare(topic, "fh/v1/#") == MqttTopicFilterCompareResult.IsMatch;
                Assert.True(routed == (message.Mosquitto != "unrouted"), $"{message.Name}: mosquitto mark '{message.Mosquitto}', fh/v1/# match {routed}");
            }
        }
    }

    /// <summary>
    /// Random damage to every corpus message (bytes flipped, inserted, cut, repeated): the decoder must answer
    /// with a reading or a reason, never an exception, whatever arrives. Seeded, so a failure reproduces.
    /// </summary>
    [Fact]
    public void Decode_RandomlyMutatedCorpus_NeverThrows()
    {
        var random = new Random(20261123);
        var sources = CorpusMessage.Bad.Concat(CorpusMessage.Good).Where(m => m.PadTo is null or < 20_000).Select(m => (m.TopicAsReceived, m.PayloadAt(Now))).ToList();
        for (var i = 0; i < 20_000; i++)
        {
            var (topic, payload) = sources[random.Next(sources.Count)];
            var mutated = Mutate(payload, random);
            try
            {
                var result = Decoder.Decode(topic, mutated, Now);
                Assert.True(result.Reading is null != result.Rejection is null);
            }
            catch (Exception e)
            {
                Assert.Fail($"Decode threw {e.GetType().Name} ({e.Message}) on {topic}: {Convert.ToBase64String(mutated)}");
            }
        }
    }

    private static byte[] Mutate(byte[] payload, Random random)
    {
        var bytes = new List<byte>(payload);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, "{}[]\",:\\-0eE.\u00ff"u8[random.Next(15)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 8)));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 32));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "\\ud800", 1 => "1e309", _ => "\"k\":1," }));
                    break;
            }
        }
        return [.. bytes];
    }
}
