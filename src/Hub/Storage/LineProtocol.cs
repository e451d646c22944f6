using System.Buffers;
using System.Globalization;
using System.Text;

namespace FacilityHub.Hub.Storage;

/// <summary>
/// Builds one InfluxDB line-protocol line: <c>measurement,tag=v field=1i,other="s" 1700000000000</c>.
/// Escaping follows the line-protocol reference: commas and spaces in measurements; commas, equals signs
/// and spaces in tag keys, tag values and field keys; double quotes and backslashes in string fields.
/// Line protocol has no escape for a newline in a tag, and InfluxDB 1.x cannot round-trip a backslash
/// before a separator in one, so such tag values are refused rather than silently altered.
/// </summary>
public sealed class LineProtocol
{
    private readonly StringBuilder _sb;
    private bool _hasField;
    private bool _hasTimestamp;

    private LineProtocol(StringBuilder sb) => _sb = sb;

    /// <summary>Starts a line in <paramref name="sb"/> (reused across lines to avoid allocations).</summary>
    public static LineProtocol Start(StringBuilder sb, string measurement)
    {
        if (string.IsNullOrEmpty(measurement))
        {
            throw new ArgumentException("measurement is empty", nameof(measurement));
        }
        CheckNoNewline(measurement, "measurement");
        var line = new LineProtocol(sb);
        foreach (var c in measurement)
        {
            if (c is ',' or ' ')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return line;
    }

    public LineProtocol Tag(string key, string? value)
    {
        if (_hasField)
        {
            throw new InvalidOperationException("tags must come before fields");
        }
        // An empty tag value is not allowed by line protocol; absent means absent.
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }
        CheckTagText(key, "tag key");
        CheckTagText(value, "tag", key);
        _sb.Append(',');
        AppendKey(key);
        _sb.Append('=');
        AppendKey(value);
        return this;
    }

    public LineProtocol Field(string key, double? value)
    {
        if (value is not { } v)
        {
            return this;
        }
        if (!double.IsFinite(v))
        {
            throw new ArgumentException($"field '{key}' is not finite", nameof(value));
        }
        // Formatted straight into the builder: a string per number was most of this class's allocations.
        FieldKey(key).Append(CultureInfo.InvariantCulture, $"{v:R}");
        return this;
    }

    public LineProtocol Field(string key, long? value)
    {
        if (value is { } v)
        {
            FieldKey(key).Append(CultureInfo.InvariantCulture, $"{v}i");
        }
        return this;
    }

    public LineProtocol Field(string key, bool? value)
    {
        if (value is { } v)
        {
            FieldKey(key).Append(v ? "true" : "false");
        }
        return this;
    }

    public LineProtocol Field(string key, string? value)
    {
        if (value is null)
        {
            return this;
        }
        FieldKey(key).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                _sb.Append('\\');
            }
            _sb.Append(c);
        }
        _sb.Append('"');
        return this;
    }

    /// <summary>Ends the line with a millisecond timestamp (the write uses <c>precision=ms</c>).</summary>
    public void Timestamp(DateTimeOffset ts)
    {
        if (!_hasField)
        {
            throw new InvalidOperationException("a point needs at least one field");
        }
        if (_hasTimestamp)
        {
            throw new InvalidOperationException("timestamp already written");
        }
        _hasTimestamp = true;
        _sb.Append(CultureInfo.InvariantCulture, $" {ts.ToUnixTimeMilliseconds()}\n");
    }

    // Characters escaped in keys and tag values, and the ones refused in them (CheckTagText).
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= ");
    private static readonly SearchValues<char> TagRefused = SearchValues.Create("\\\n\r");

    private StringBuilder FieldKey(string key)
    {
        CheckTagText(key, "field key");
        _sb.Append(_hasField ? ',' : ' ');
        _hasField = true;
        AppendKey(key);
        return _sb.Append('=');
    }

    private void AppendKey(string text)
    {
        if (text.AsSpan().IndexOfAny(KeySpecials) < 0)
        {
            _sb.Append(text);
            return;
        }
        foreach (var c in text)
        {
            if (KeySpecials.Contains(c))
            {
                _sb.Append('\\');
            }
            _sb.Append(c);
        }
    }

    /// <param name="key">For a tag value, its tag's key: named in the message (built only on failure).</param>
    private static void CheckTagText(string text, string what, string? key = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException($"{Describe(what, key)} is empty");
        }
        if (text.AsSpan().IndexOfAny(TagRefused) < 0)
        {
            return;
        }
        CheckNoNewline(text, Describe(what, key));
        throw new ArgumentException($"{Describe(what, key)} contains a backslash, which InfluxDB 1.x cannot store unchanged");
    }

    private static string Describe(string what, string? key) => key is null ? what : $"{what} '{key}'";

    private static void CheckNoNewline(string text, string what)
    {
        if (text.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new ArgumentException($"{what} contains a line break, which line protocol cannot carry");
        }
    }
}
