using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Messages;

/// <summary>
/// <c>ts</c> on the wire: ISO 8601 with an explicit offset, millisecond precision
/// (<c>2026-11-23T10:15:00.000+09:00</c>). A timestamp without an offset is ambiguous and is refused.
/// </summary>
/// <remarks>
/// Every message carries one, and the hub both reads it (ingest) and writes it (live pushes), so the common shapes are
/// read and written by hand: .NET's format-string parser cost about 0.6 µs per message, a quarter of decoding
/// (bench/Micro). Anything else goes to <see cref="DateTimeOffset.TryParseExact(string?, string?[], IFormatProvider?, DateTimeStyles, out DateTimeOffset)"/>,
/// so what is accepted, and its value, is exactly what that accepts; tests check the two agree.
/// </remarks>
public sealed class TimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    /// <summary>Bytes of <see cref="Format"/>'s output: years 1–9999 are four digits and the offset is always ±hh:mm.</summary>
    public const int WireLength = 29;

    private static readonly string[] ParseFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

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
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> quoted = stackalloc byte[WireLength + 2];
        quoted[0] = (byte)'"';
        FormatUtf8(value, quoted[1..]);
        quoted[^1] = (byte)'"';
        writer.WriteRawValue(quoted, skipInputValidation: true);
    }

    public static string ToWire(DateTimeOffset value)
    {
        Span<byte> utf8 = stackalloc byte[WireLength];
        FormatUtf8(value, utf8);
        return Encoding.ASCII.GetString(utf8);
    }

    /// <summary>Writes <paramref name="value"/> as <see cref="Format"/> would, into exactly <see cref="WireLength"/> bytes.</summary>
    public static void FormatUtf8(DateTimeOffset value, Span<byte> destination)
    {
        if (destination.Length < WireLength)
        {
            throw new ArgumentException($"needs {WireLength} bytes", nameof(destination));
        }
        var local = value.DateTime;
        // Year, Month and Day each work out the calendar date from the ticks again; this does it once.
        local.Deconstruct(out var year, out var month, out var day);
        Digits(destination[..4], year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), local.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), local.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), local.Second);
        destination[19] = (byte)'.';
        // "fff" truncates to the millisecond; it does not round.
        Digits(destination.Slice(20, 3), local.Millisecond);
        var offset = value.Offset;
        destination[23] = offset < TimeSpan.Zero ? (byte)'-' : (byte)'+';
        var minutes = Math.Abs((int)offset.TotalMinutes);
        Digits(destination.Slice(24, 2), minutes / 60);
        destination[26] = (byte)':';
        Digits(destination.Slice(27, 2), minutes % 60);
    }

    /// <summary>Accepts <c>yyyy-MM-ddTHH:mm:ss[.f…]</c> followed by <c>Z</c> or <c>±hh:mm</c>; nothing else.</summary>
    public static bool TryParse(string? text, out DateTimeOffset ts)
    {
        ts = default;
        if (text is null || text.Length is < 20 or > 40 || text[10] != 'T')
        {
            return false;
        }
        var hasOffset = text[^1] == 'Z' || (text.Length >= 25 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset)
        {
            return false;
        }
        return TryParseCommon(text, out ts)
            || DateTimeOffset.TryParseExact(text, ParseFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out ts);
    }

    /// <summary>
    /// The shapes agents send, parsed directly. Returns false for anything it is not sure of, including valid
    /// timestamps it leaves to the general parser (years 1 and 9999, where the offset can leave the range,
    /// second 60, offsets of 14 hours); a false here is never a refusal by itself.
    /// </summary>
    private static bool TryParseCommon(string text, out DateTimeOffset ts)
    {
        ts = default;
        if (text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || !TryDigits(text, 11, 2, out var hour) || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second)
            || year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var end = 19;
        long fractionTicks = 0;
        if (text[end] == '.')
        {
            var digits = 0;
            var scale = 1_000_000;
            for (end++; end < text.Length && char.IsAsciiDigit(text[end]); end++, digits++)
            {
                if (digits == 7)
                {
                    return false;
                }
                fractionTicks += (text[end] - '0') * scale;
                scale /= 10;
            }
            if (digits == 0)
            {
                return false;
            }
        }
        TimeSpan offset;
        if (end == text.Length - 1 && text[end] == 'Z')
        {
            offset = TimeSpan.Zero;
        }
        else if (end == text.Length - 6 && text[end] is '+' or '-' && text[end + 3] == ':'
            && TryDigits(text, end + 1, 2, out var offsetHours) && TryDigits(text, end + 4, 2, out var offsetMinutes)
            && offsetHours < 14 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (text[end] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }
        ts = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fractionTicks), offset);
        return true;
    }

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
            value = value * 10 + (text[i] - '0');
        }
        return true;
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
