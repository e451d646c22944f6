using System.Globalization;
using System.Text;
using FacilityHub.Contracts.Messages;
using FsCheck;
using FsCheck.Fluent;

namespace FacilityHub.Contracts.Tests;

/// <summary>
/// <see cref="TimestampJsonConverter"/> reads and writes the common shapes by hand. Property: it accepts exactly
/// what .NET's format-string parser accepted before (the oracle below is the previous implementation), with the
/// same instant and offset, and writes exactly what <see cref="TimestampJsonConverter.Format"/> writes.
/// </summary>
public sealed class TimestampTests
{
    private const int Samples = 20_000;

    private static bool Oracle(string text, out DateTimeOffset ts)
    {
        ts = default;
        if (text.Length is < 20 or > 40 || text[10] != 'T')
        {
            return false;
        }
        var hasOffset = text[^1] == 'Z' || (text.Length >= 25 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasOffset && DateTimeOffset.TryParseExact(
            text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out ts);
    }

    private static Gen<string> Two(int max) => Gen.Choose(0, max).Select(i => i.ToString("D2", CultureInfo.InvariantCulture));

    // Mostly well-formed, with every field pushed past its limits, the range's edges (years 1 and 9999 with
    // offsets), fractions of 0 to 9 digits, and every offset form the parser might take.
    private static readonly Gen<string> Timestamps =
        from year in Gen.OneOf(Gen.Elements(1, 2, 1970, 2026, 9998, 9999), Gen.Choose(0, 9999))
        from month in Two(13)
        from day in Two(32)
        from hour in Two(25)
        from minute in Two(60)
        from second in Two(61)
        from fraction in Gen.Choose(-1, 9).Select(n => n < 0 ? "" : "." + new string('7', n))
        from offset in Gen.OneOf(
            Gen.Elements("Z", "z", "+0900", "+09", "", "+09:00Z", " +09:00"),
            from sign in Gen.Elements("+", "-")
            from hh in Two(15)
            from mm in Two(61)
            select sign + hh + ":" + mm)
        select $"{year:D4}-{month}-{day}T{hour}:{minute}:{second}{fraction}{offset}";

    // One character of a timestamp replaced, at any position: separators, signs and digits in the wrong places.
    private static readonly Gen<string> Mutated =
        from text in Timestamps
        from position in Gen.Choose(0, Math.Max(0, text.Length - 1))
        from c in Gen.Elements("0123456789-:T.Z+ a٣".ToCharArray())
        select text.Length == 0 ? text : text[..position] + c + text[(position + 1)..];

    [Fact]
    public void TryParse_GeneratedTimestamps_AgreesWithFormatStringParser()
    {
        var accepted = 0;
        foreach (var text in Timestamps.Sample(Samples, 40).Concat(Mutated.Sample(Samples, 40)))
        {
            var expected = Oracle(text, out var want);
            var actual = TimestampJsonConverter.TryParse(text, out var got);
            Assert.True(expected == actual, $"'{text}': format-string parser {expected}, TryParse {actual}");
            if (expected)
            {
                accepted++;
                Assert.True(want.Ticks == got.Ticks && want.Offset == got.Offset, $"'{text}': {want:O} expected, got {got:O}");
            }
        }
        // The generator must reach both answers often, or the property says little.
        Assert.InRange(accepted, Samples / 20, 2 * Samples - Samples / 20);
    }

    [Theory]
    [InlineData("2026-11-23T10:15:00.123+09:00")]
    [InlineData("2026-11-23T01:15:00Z")]
    [InlineData("2026-11-23T01:15:00.1234567-03:30")]
    [InlineData("2024-02-29T23:59:59.9+13:59")]
    public void TryParse_CommonShapes_SameAsFormatStringParser(string text)
    {
        Assert.True(Oracle(text, out var want));
        Assert.True(TimestampJsonConverter.TryParse(text, out var got));
        Assert.Equal((want.Ticks, want.Offset), (got.Ticks, got.Offset));
    }

    [Fact]
    public void FormatUtf8_GeneratedInstantsAndOffsets_SameAsFormatString()
    {
        var instants =
            from ticks in Gen.Choose(0, int.MaxValue).Select(i => DateTime.MinValue.Ticks + 14 * TimeSpan.TicksPerHour
                + (long)(i / (double)int.MaxValue * (DateTime.MaxValue.Ticks - DateTime.MinValue.Ticks - 28 * TimeSpan.TicksPerHour)))
            from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
            select new DateTimeOffset(ticks + offsetMinutes * TimeSpan.TicksPerMinute, TimeSpan.FromMinutes(offsetMinutes));
        Span<byte> utf8 = stackalloc byte[TimestampJsonConverter.WireLength];
        foreach (var value in instants.Sample(Samples, 1).Append(DateTimeOffset.MinValue).Append(DateTimeOffset.MaxValue))
        {
            TimestampJsonConverter.FormatUtf8(value, utf8);
            Assert.Equal(value.ToString(TimestampJsonConverter.Format, CultureInfo.InvariantCulture), Encoding.ASCII.GetString(utf8));
        }
    }
}
