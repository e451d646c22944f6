using System.Globalization;

/// <summary>A flag the sub-command does not take, a value that is not what the flag needs, a required flag missing: exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// A sub-command's flags: <c>--name value</c> pairs, each one the sub-command declares, each at most once; after
/// <c>--</c> the rest is passed through (a command line to run). Anything else is a <see cref="UsageException"/>
/// that names the flag and what was wrong, so a typo never silently falls back to a default.
/// </summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values;

    private Args(Dictionary<string, string> values, string[] rest) => (_values, Rest) = (values, rest);

    /// <summary>What came after <c>--</c>; empty when there was none.</summary>
    public IReadOnlyList<string> Rest { get; }

    public static Args Parse(string[] args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            var flag = args[i];
            if (flag == "--")
            {
                return new Args(values, args[(i + 1)..]);
            }
            if (!flag.StartsWith("--", StringComparison.Ordinal) || flag.Length == 2)
            {
                throw new UsageException($"'{flag}' is not a flag (flags are --name value)");
            }
            var name = flag[2..];
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown flag --{name}");
            }
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"--{name} needs a value");
            }
            if (!values.TryAdd(name, args[i + 1]))
            {
                throw new UsageException($"--{name} is given twice");
            }
        }
        return new Args(values, []);
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback, int min, int max) =>
        _values.TryGetValue(name, out var text) ? ParseInt(name, text, min, max) : fallback;

    public int RequiredInt(string name, int min, int max) => ParseInt(name, Required(name), min, max);

    public double Double(string name, double fallback, double min, double max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException(FormattableString.Invariant($"--{name} must be a number from {min} to {max}, got '{text}'"));
    }

    /// <summary>An absolute http URL on this machine: the bench only ever talks to loopback servers it was pointed at.</summary>
    public Uri Url(string name)
    {
        var text = Required(name);
        return Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--{name} must be an absolute http URL, got '{text}'");
    }

    public int[] IntList(string name, string fallback, int min, int max)
    {
        var text = String(name, fallback);
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new UsageException($"--{name} must be a comma list of whole numbers, got '{text}'");
        }
        return items.Select(item => ParseInt(name, item, min, max)).ToArray();
    }

    /// <summary>An existing file (a registry, a password file): a wrong path fails here, not minutes into the run.</summary>
    public string ExistingFile(string name)
    {
        var path = Required(name);
        return File.Exists(path) ? path : throw new UsageException($"--{name}: no file '{path}'");
    }

    /// <summary>
    /// <c>name=pid,...</c>: processes whose CPU, RSS and context switches are reported, plus the bench itself and the
    /// whole machine (pid 0 = /proc/stat), since the bench shares the cores with what it measures.
    /// </summary>
    public IReadOnlyList<(string Name, int Pid)> Watch(string name = "watch")
    {
        var list = new List<(string Name, int Pid)>();
        foreach (var item in String(name, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split('=');
            if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            {
                throw new UsageException($"--{name} must be name=pid,..., got '{item}'");
            }
            if (!Directory.Exists($"/proc/{pid}"))
            {
                throw new UsageException($"--{name}: no process {pid} ({parts[0]})");
            }
            list.Add((parts[0], pid));
        }
        list.Add(("bench", Environment.ProcessId));
        list.Add(("machine", 0));
        return list;
    }

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException(FormattableString.Invariant($"--{name} must be a whole number from {min:N0} to {max:N0}, got '{text}'"));
}
