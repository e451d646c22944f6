using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Corpus;

/// <summary>
/// One line of <c>bad-messages.jsonl</c> or <c>good-messages.jsonl</c> (beside this file): a message that
/// a hostile or broken agent could publish, and what the hub must make of it.
/// <list type="bullet">
/// <item><c>topic</c>, or <c>topicBase64</c> for topic bytes that are not UTF-8;</item>
/// <item><c>payload</c> as UTF-8 text, or <c>payloadBase64</c> for bytes that are not;</item>
/// <item><c>reason</c>: the reject reason code the hub records (bad messages only);</item>
/// <item><c>padTo</c>: ASCII spaces appended up to that many bytes (JSON allows trailing whitespace), so that
/// size-limit cases need not be stored whole; <c>bytes</c>: the size the payload must have, checked by a test;</item>
/// <item><c>violation</c>: MQTT forbids this topic in a PUBLISH (empty, wildcard, U+0000); both brokers close the
/// connection, the embedded one after dead-lettering it;</item>
/// <item><c>mosquitto</c>: <c>refused</c> (Mosquitto closes the connection: the message never reaches the hub) or
/// <c>unrouted</c> (Mosquitto accepts it, but the hub's subscription <c>fh/v1/#</c> does not match it);</item>
/// <item>placeholders for timestamps that must be "now-ish": <c>{{now}}</c>, <c>{{now-1h}}</c>, <c>{{now+10m}}</c>,
/// <c>{{now-60d}}</c> (units s, m, h, d) give <c>yyyy-MM-ddTHH:mm:ss.fff+09:00</c>; a <c>:Z</c> suffix gives
/// <c>yyyy-MM-ddTHH:mm:ssZ</c>, <c>:7</c> seven fraction digits. Every form is 29 characters except <c>:Z</c>
/// (20) and <c>:7</c> (33), which no size-limit case uses.</item>
/// </list>
/// </summary>
public sealed partial record CorpusMessage
{
    public const string Directory = "tests/Hub.Tests/Corpus";

    public required string Name { get; init; }
    public string? Topic { get; init; }
    public string? TopicBase64 { get; init; }
    public string? Payload { get; init; }
    public string? PayloadBase64 { get; init; }
    public string? Reason { get; init; }
    public int? PadTo { get; init; }
    public int? Bytes { get; init; }
    public bool Violation { get; init; }
    public string? Mosquitto { get; init; }
    public string? Note { get; init; }

    /// <summary>The topic as it goes on the wire.</summary>
    [JsonIgnore]
    public byte[] TopicBytes => TopicBase64 is { } b64 ? Convert.FromBase64String(b64) : Encoding.UTF8.GetBytes(Topic ?? "");

    /// <summary>The topic as MQTTnet hands it to the hub: decoded leniently (invalid bytes become U+FFFD).</summary>
    [JsonIgnore]
    public string TopicAsReceived => Encoding.UTF8.GetString(TopicBytes);

    /// <summary>Mosquitto never passes it on (it closes the connection, or nothing subscribes to the topic).</summary>
    [JsonIgnore]
    public bool NeverReachesHubViaMosquitto => Violation || Mosquitto is "refused" or "unrouted";

    /// <summary>The payload bytes, with timestamps relative to <paramref name="now"/> and padding applied.</summary>
    public byte[] PayloadAt(DateTimeOffset now)
    {
        var raw = PayloadBase64 is { } b64 ? Convert.FromBase64String(b64) : Encoding.UTF8.GetBytes(Payload ?? "");
        // Latin-1 maps bytes to chars one to one, so the ASCII placeholders are replaced without touching other bytes.
        var text = Placeholder().Replace(Encoding.Latin1.GetString(raw), m => Timestamp(m, now));
        var bytes = Encoding.Latin1.GetBytes(text);
        if (PadTo is { } size && size > bytes.Length)
        {
            var padded = new byte[size];
            bytes.CopyTo(padded, 0);
            padded.AsSpan(bytes.Length).Fill((byte)' ');
            bytes = padded;
        }
        return bytes;
    }

    public override string ToString() => Name;

    public static IReadOnlyList<CorpusMessage> Bad { get; } = Load("bad-messages.jsonl");

    public static IReadOnlyList<CorpusMessage> Good { get; } = Load("good-messages.jsonl");

    private static IReadOnlyList<CorpusMessage> Load(string file)
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        return [.. File.ReadLines(Path.Combine(RepoPaths.Root, Directory, file))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<CorpusMessage>(line, options)!)];
    }

    private static string Timestamp(Match m, DateTimeOffset now)
    {
        var at = now;
        if (m.Groups["amount"].Success)
        {
            var amount = int.Parse(m.Groups["amount"].Value, CultureInfo.InvariantCulture) * (m.Groups["sign"].Value == "-" ? -1 : 1);
            at += m.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
        return m.Groups["format"].Value switch
        {
            "Z" => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "7" => at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
            _ => at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
    }

    [GeneratedRegex(@"\{\{now(?:(?<sign>[+-])(?<amount>\d+)(?<unit>[smhd]))?(?::(?<format>Z|7))?\}\}")]
    private static partial Regex Placeholder();
}
