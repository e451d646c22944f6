using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace FacilityHub.Contracts.Validation;

/// <summary>
/// What <see cref="MessageDecoder"/> checks before and after binding, kept apart so that every rule about
/// hostile JSON lives in one place (tests/Hub.Tests/Corpus holds a bad message for each rule).
/// Reasons, in the order they are checked: <c>invalid_json</c> for anything that is not one unambiguous
/// UTF-8 JSON text (bad bytes, byte order mark, syntax, depth, a key given twice at any depth, an escaped
/// lone surrogate, more than <see cref="MaxTopLevelKeys"/> keys), then <c>wrong_type</c> when that text
/// is not an object.
/// </summary>
internal static class JsonChecks
{
    /// <summary>A payload needs 15 keys at most; more is a device bug or an attempt to make the hub work.</summary>
    public const int MaxTopLevelKeys = 64;

    /// <summary>One pass over the bytes, before any binding.</summary>
    public static Rejection? Shape(ReadOnlySpan<byte> payload)
    {
        if (!Utf8.IsValid(payload))
        {
            return new Rejection(RejectReason.InvalidJson, "payload is not valid UTF-8");
        }
        // RFC 8259 §8.1 lets a parser either ignore or refuse a BOM; PROTOCOL.md says UTF-8 JSON, so it is refused
        // with a reason a device author can act on rather than the parser's "invalid start of a value".
        if (payload.StartsWith("\uFEFF"u8))
        {
            return new Rejection(RejectReason.InvalidJson, "payload starts with a UTF-8 byte order mark (EF BB BF)");
        }

        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MessageDecoder.MaxDepth });
        // Top-level keys: hashes on the stack, the common case allocates nothing. Nested objects are in no
        // payload schema, so a set per nesting level is allocated only when a payload has them.
        Span<int> topHashes = stackalloc int[MaxTopLevelKeys];
        var topKeys = 0;
        HashSet<string>?[]? nested = null;
        var first = JsonTokenType.None;
        try
        {
            while (reader.Read())
            {
                if (first == JsonTokenType.None)
                {
                    first = reader.TokenType;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        // Its keys will sit one level deeper: a sibling object must not see the previous one's keys.
                        nested?[Math.Min(reader.CurrentDepth + 1, nested.Length - 1)]?.Clear();
                        break;

                    case JsonTokenType.PropertyName:
                        if (reader.CurrentDepth == 1)
                        {
                            var hash = NameHash(ref reader);
                            if (topHashes[..topKeys].Contains(hash) && reader.GetString() is { } name && IsTopLevelDuplicate(payload, name))
                            {
                                return Duplicate(name);
                            }
                            if (topKeys == MaxTopLevelKeys)
                            {
                                return new Rejection(RejectReason.InvalidJson, $"payload has more than {MaxTopLevelKeys} keys");
                            }
                            topHashes[topKeys++] = hash;
                        }
                        else
                        {
                            var name = reader.GetString()!;
                            nested ??= new HashSet<string>?[MessageDecoder.MaxDepth + 2];
                            if (!(nested[reader.CurrentDepth] ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                            {
                                return Duplicate(name);
                            }
                        }
                        break;

                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Throws for an escaped lone surrogate (\ud800 without its pair): valid JSON grammar, but no
                        // Unicode text, so no .NET string; binding would throw outside the JsonException path.
                        _ = reader.GetString();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return new Rejection(RejectReason.InvalidJson, first == JsonTokenType.None && IsBlank(payload) ? "payload is empty" : e.Message);
        }
        catch (InvalidOperationException)
        {
            return new Rejection(RejectReason.InvalidJson, "a string holds an escaped lone surrogate (\\uD800–\\uDFFF without its pair)");
        }
        if (first == JsonTokenType.None)
        {
            return new Rejection(RejectReason.InvalidJson, "payload is empty");
        }
        if (first != JsonTokenType.StartObject)
        {
            return new Rejection(RejectReason.WrongType, $"payload must be a JSON object, got {first}");
        }
        return null;
    }

    /// <summary>
    /// Names the field a binding error is about, and tells a number that does not fit its whole-number field
    /// (<c>out_of_range</c>: 2147483648 for an int, 1e20 for a long, 1e309) from a value of the wrong kind
    /// (<c>wrong_type</c>: a string, 12.5 for a count, 1e2 or 12.0 where a whole number is written).
    /// </summary>
    public static Rejection ClassifyBindError(ReadOnlySpan<byte> payload, JsonException e, JsonTypeInfo wire)
    {
        // The serializer's path ($.clients2g) names the field; its message names a CLR type, useless to a device author.
        var path = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        if (path is null)
        {
            return new Rejection(RejectReason.WrongType, "payload has the wrong JSON type");
        }
        var name = path.Split('.', '[')[0];
        var type = wire.Properties.FirstOrDefault(x => x.Name == name)?.PropertyType;
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MessageDecoder.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals(name))
            {
                continue;
            }
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && (type == typeof(int?) || type == typeof(long?)))
            {
                return ClassifyWholeNumber(MessageDecoder.Clip(name), ref reader, type == typeof(int?) ? int.MinValue : long.MinValue, type == typeof(int?) ? int.MaxValue : long.MaxValue);
            }
            break;
        }
        return new Rejection(RejectReason.WrongType, $"{MessageDecoder.Clip(name)} has the wrong JSON type");
    }

    private static Rejection ClassifyWholeNumber(string name, ref Utf8JsonReader reader, double min, double max)
    {
        var raw = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        var shown = MessageDecoder.Clip(raw);
        // An integer literal only fails to bind when it overflows the field.
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            return new Rejection(RejectReason.OutOfRange, $"{name} {shown} is outside the range of a whole number");
        }
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return new Rejection(RejectReason.OutOfRange, $"{name} {shown} is not a finite number");
        }
        if (Math.Floor(value) == value && (value < min || value > max))
        {
            return new Rejection(RejectReason.OutOfRange, $"{name} {shown} is outside the range of a whole number");
        }
        return new Rejection(RejectReason.WrongType, $"{name} {shown} must be a whole number written without a fraction or exponent");
    }

    private static Rejection Duplicate(string name) =>
        new(RejectReason.InvalidJson, $"key '{MessageDecoder.Clip(name)}' appears more than once");

    // Only reached on a hash collision or a real duplicate: re-read and compare names exactly.
    private static bool IsTopLevelDuplicate(ReadOnlySpan<byte> payload, string name)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MessageDecoder.MaxDepth });
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(name))
            {
                count++;
            }
        }
        return count > 1;
    }

    /// <summary>
    /// A hash of a property name's unescaped UTF-8 bytes, so that <c>"a"</c> and <c>"\u0061"</c> collide, without
    /// making a string of every name of every message.
    /// </summary>
    private static int NameHash(ref Utf8JsonReader reader)
    {
        var hash = new HashCode();
        if (!reader.ValueIsEscaped)
        {
            hash.AddBytes(reader.ValueSpan);
            return hash.ToHashCode();
        }
        // Unescaping never lengthens: the escaped text's length bounds the name's.
        var length = reader.ValueSpan.Length;
        var rented = length > 256 ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented ?? stackalloc byte[256];
        hash.AddBytes(buffer[..reader.CopyString(buffer)]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
        return hash.ToHashCode();
    }

    private static bool IsBlank(ReadOnlySpan<byte> payload) => payload.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
