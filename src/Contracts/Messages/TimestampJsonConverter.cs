using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Messages;

/// <summary>
/// <c>ts</c> on the wire: ISO 8601 with an explicit offset, millisecond precision
/// (<c>2026-11-23T10:15:00.000+09:00</c>). A timestamp without an offset is ambiguous and is refused.
/// </summary>
public sealed class TimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("ts must be a string");
        }
        return TryParse(reader.GetString(), out var ts)
            ? ts
            : throw new JsonException("ts must be ISO 8601 with an offset");
    }

    // Written raw: the default encoder would escape '+' as \u002B, valid JSON but not what PROTOCOL.md shows
    // and not what a device author greps for. The formatted value holds only digits and "-:.T+".
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteRawValue($"\"{ToWire(value)}\"", skipInputValidation: true);

    public static string ToWire(DateTimeOffset value) => value.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Accepts <c>yyyy-MM-ddTHH:mm:ss[.f…]</c> followed by <c>Z</c> or <c>±hh:mm</c>; nothing else.</summary>
    public static bool TryParse(string? text, out DateTimeOffset ts)
    {
        ts = default;
        if (text is null || text.Length is < 20 or > 40 || text[10] != 'T')
        {
            return false;
        }
        var hasOffset = text[^1] == 'Z' || (text.Length >= 25 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasOffset && DateTimeOffset.TryParseExact(
            text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out ts);
    }
}
